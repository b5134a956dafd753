/*
 * pdf.h -- an HTML page printed to a PDF file by headless chromium, the
 * browser the HTML reports are made for (`ae report --pdf`).
 *
 * The browser is $AE_CHROMIUM, else the first of chromium,
 * chromium-browser, google-chrome and google-chrome-stable on PATH.  It
 * runs on a copy of the page in a temporary folder with a throw-away
 * profile and no network use, for at most two minutes; nothing else is
 * run and nothing is read from the book.
 */
#ifndef AE_PDF_H
#define AE_PDF_H

#include <stddef.h>

/* The browser to print with (owned), or NULL when none is installed. */
char *pdf_browser(void);
/* 0 when there is a browser to print with; else -1, told with how to
 * install one. */
int pdf_check(void);

/*
 * Print the HTML page html[0..len) to path (written atomically: the old
 * file or the whole new one).  0, or -1 with the problem told; a missing
 * browser is told with how to install one.
 */
int pdf_print(const char *html, size_t len, const char *path);

#endif
