// The parts of Debian's libncursesw that the wizard's terminal driver uses.
//
// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on
// here, before curses.h. Swift imports neither function-like macros (A_BOLD,
// KEY_F) nor, under Swift 6 concurrency checking, the C globals (stdscr, COLS,
// LINES, stdout): the static inline functions below stand in for them.
// After editing this file, `rm -rf .build`: an incremental build can keep a stale module.
#ifndef VEJAMIGRATE_CNCURSESW_SHIM_H
#define VEJAMIGRATE_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *vm_stdscr(void) { return stdscr; }
static inline int vm_lines(void) { return LINES; }
static inline int vm_cols(void) { return COLS; }
static inline int vm_colors(void) { return COLORS; }

/// A screen on the controlling terminal: newterm, unlike initscr, returns NULL instead of exiting.
static inline SCREEN *vm_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline attr_t vm_a_normal(void) { return A_NORMAL; }
static inline attr_t vm_a_bold(void) { return A_BOLD; }
static inline attr_t vm_a_reverse(void) { return A_REVERSE; }
static inline attr_t vm_a_underline(void) { return A_UNDERLINE; }
static inline attr_t vm_a_dim(void) { return A_DIM; }

static inline int vm_key_f(int n) { return KEY_F(n); }
static inline int vm_key_f0(void) { return KEY_F0; }

/// Puts one character cell: `wch` is a spacing character followed by its combining
/// marks (at most CCHARW_MAX - 1 of them), NUL-terminated.
/// When setcchar refuses the combination, the spacing character alone is put.
static inline int vm_put_cell(WINDOW *win, int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, wch, attrs, pair, NULL) == ERR) {
        wchar_t first[2] = { wch[0], 0 };
        if (setcchar(&cell, first, attrs, pair, NULL) == ERR) return ERR;
    }
    return mvwadd_wch(win, y, x, &cell);
}

/// The C library's width of a character in the current locale (what ncurses lays cells out by); -1 if unprintable.
static inline int vm_wcwidth(wchar_t wc) { return wcwidth(wc); }

/// Puts a function-key code back on the input queue (ungetch takes an int).
static inline int vm_unget_key(int code) { return ungetch(code); }

static inline int vm_ccharmax(void) { return CCHARW_MAX; }

static inline const char *vm_codeset(void) { return nl_langinfo(CODESET); }

// term.h last: its capability macros (lines, columns, bell...) must not meet any code after it.
#include <ncursesw/term.h>

/// Whether the terminal on standard output can draw the wizard: 0 yes; 1 no terminfo entry for
/// TERM (or TERM unset, or no database); 2 a hardcopy (printing) terminal; 3 no cursor addressing
/// (`cup`), as TERM=dumb. Reads the entry with setupterm and frees it again.
static inline int vm_terminal_capability(void) {
    int err = 0;
    if (setupterm(NULL, fileno(stdout), &err) != OK) return 1;
    int result = 0;
    char *cup = tigetstr("cup");
    if (tigetflag("hc") > 0) result = 2;
    else if (cup == NULL || cup == (char *)-1) result = 3;
    del_curterm(cur_term);
    return result;
}

#endif
