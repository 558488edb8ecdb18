import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// The same screen of cells as each colour depth draws it (Palette): monochrome (vt100, NO_COLOR),
/// eight colours (the Linux console, xterm) and 256 (xterm-256color). The golden files hold the
/// text, then the curses colour number of each cell (space: the terminal's own), then its
/// attributes as one hex digit (1 bold, 2 reverse, 4 underline, 8 dim; space: none).
final class PaletteGoldenTests: XCTestCase {
    /// A screen with every style the wizard uses: bars, focus, an error, secondary text, code.
    private func screen() -> Screen {
        var d = Driver(size: Size(width: 120, height: 40))
        d.answerInvoices()
        d.model.testSetEnumDefault(column: 1, "LOST")
        return d.screen
    }

    func testEachDepthHasItsGolden() {
        let screen = screen()
        for depth in Palette.Depth.allCases {
            Golden.check(screen, palette: Palette(depth: depth), "palette-\(depth.rawValue)-120x40")
        }
    }

    func testMonochromeKeepsEveryStyleDistinctFromPlainText() {
        // Without colour an error and secondary text must still differ from plain text.
        let mono = Palette(depth: .monochrome)
        let plain = mono.look(for: .plain)
        for color in Color.allCases where color != .normal && color != .cyan && color != .blue && color != .magenta && color != .yellow && color != .green {
            XCTAssertNotEqual(mono.look(for: Style(foreground: color)), plain, "\(color) reads as plain text without colour")
        }
        XCTAssertTrue(mono.colorNumbers.isEmpty)
    }

    func testEightColoursNeverUseBrightBlack() {
        // The Linux console has eight colours: colour 8 would be an invalid pair there.
        XCTAssertFalse(Palette(depth: .eight).colorNumbers.contains { $0 >= 8 })
        XCTAssertTrue(Palette(depth: .many).colorNumbers.contains(8))
        XCTAssertEqual(Palette.Depth.of(colors: 8, wanted: true), .eight)
        XCTAssertEqual(Palette.Depth.of(colors: 256, wanted: true), .many)
        XCTAssertEqual(Palette.Depth.of(colors: 256, wanted: false), .monochrome)
        XCTAssertEqual(Palette.Depth.of(colors: 0, wanted: true), .monochrome)
    }
}

extension Golden {
    static func paletteDocument(_ screen: Screen, _ palette: Palette) -> String {
        var colours: [String] = []
        var attributes: [String] = []
        for y in 0..<screen.size.height {
            var c = ""
            var a = ""
            for x in 0..<screen.size.width where !screen[x, y].continuation {
                let look = palette.look(for: screen[x, y].style)
                c += look.color.map { String($0, radix: 16) } ?? " "
                let bits = (look.bold ? 1 : 0) | (look.reverse ? 2 : 0) | (look.underline ? 4 : 0) | (look.dim ? 8 : 0)
                a += bits == 0 ? " " : String(bits, radix: 16)
            }
            colours.append(c)
            attributes.append(a)
        }
        return "depth \(palette.depth.rawValue) size \(screen.size.width)x\(screen.size.height)\n--- text\n" + screen.text
            + "\n--- colour\n" + colours.joined(separator: "\n") + "\n--- attributes\n" + attributes.joined(separator: "\n") + "\n"
    }

    static func check(_ screen: Screen, palette: Palette, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        compare(paletteDocument(screen, palette), name, file: file, line: line)
    }
}
