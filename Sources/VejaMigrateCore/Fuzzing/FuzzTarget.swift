import Foundation

/// The readers that take bytes from outside, each as one entry point for coverage-guided fuzzing
/// (`make fuzz`, docs/fuzzing.md) and for the regression inputs the fuzzers found
/// (`FuzzRegressionTests` feeds every file under Tests/VejaMigrateCoreTests/FuzzRegressions/TARGET
/// to the same function in `make test`).
///
/// An entry point must return for every input: a crash, a trap (an overflow, an index out of
/// range, a force unwrap) or a hang is a bug; a refusal (a thrown error, a problem) is not.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The Python lexer, and the expression parser over every logical line it yields.
    case python
    /// The migration header reader (also with spans, as `rebase` reads it).
    case header
    /// The whole-file schema reader: header, `upgrade()` and `downgrade()`, the SQL they execute.
    case upgrade
    /// The SQL reader: PostgreSQL's grammar over the text, under each placeholder style, and the
    /// default and CHECK expression probes.
    case sql
    /// The spec reader, and for a spec it accepts, the planner and both emitters.
    case spec

    /// Runs the target on one input.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .python: FuzzTarget.python(bytes)
        case .header:
            _ = try? MigrationHeaderReader.read(bytes: bytes)
            _ = try? MigrationHeaderReader.readWithSpans(bytes: bytes)
        case .upgrade:
            _ = SchemaReader.source(fileName: "20260101_000001_fuzz.py", bytes: bytes, downgrade: true)
        case .sql: FuzzTarget.sql(String(decoding: bytes, as: UTF8.self))
        case .spec: FuzzTarget.spec(bytes)
        }
    }

    private static func python(_ bytes: [UInt8]) {
        var lexer = PythonHeaderLexer(bytes: bytes)
        try? lexer.forEachLogicalLine { line in
            var parser = PyExpressionParser(line.tokens)
            while !parser.atEnd {
                let before = parser.i
                _ = parser.expressionList()
                if parser.i == before { parser.i += 1 }
            }
            return true
        }
    }

    private static func sql(_ text: String) {
        _ = try? PostgresGrammar.parse(text)
        for placeholders in [ExecutedSQL.Placeholders.sqlalchemyText, .driver, .fstring] {
            _ = SQLStatements.changes(text, placeholders: placeholders)
        }
        _ = DefaultExpression.problem(text)
        _ = CheckExpression.problem(text)
        _ = UsingExpression.problem(text)
    }

    private static func spec(_ bytes: [UInt8]) {
        guard let spec = try? SpecReader.read(json: Data(bytes)) else { return }
        let request = MigrationRequest(spec: spec, date: MigrationDate("2026-01-01")!)
        let history = SchemaReader.history(files: [])
        _ = try? MigrationPlanner.plan(request, graph: history.graph, schema: history.schema)
    }
}
