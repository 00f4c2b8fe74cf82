// Private to CImgSearchPNG: the error discipline shared by the decoder and
// the encoder. libpng reports errors through a callback that must not
// return, so the callback longjmps back to a setjmp in the exported
// function that made the libpng call. Swift must never be on the stack
// between the two: that is why this code is C.

#ifndef CIMGSEARCHPNG_ERROR_HANDLING_H
#define CIMGSEARCHPNG_ERROR_HANDLING_H

#include <png.h>
#include <setjmp.h>
#include <stddef.h>

/// libpng's error pointer: where `imgsearch_png_report_error_and_jump`
/// writes the message and where it jumps to. Nothing in it is read after
/// the longjmp, so it need not be volatile.
typedef struct imgsearch_png_error_context {
    jmp_buf jump;
    char *message;
    size_t message_capacity;
    /// The latest warning. libpng often explains an error in the warning
    /// just before it ("Invalid color type in IHDR", then the error
    /// "Invalid IHDR data"), so the error message carries it along.
    char last_warning[128];
} imgsearch_png_error_context;

/// Copies `text` into `message` (truncating, always NUL-terminated) when
/// there is room for at least the terminator.
void imgsearch_png_write_message(char *message, size_t capacity, const char *text);

/// libpng's error function: formats the message (and the latest warning,
/// if any) into the context's buffer and longjmps to the context's jump
/// buffer. Never returns.
void imgsearch_png_report_error_and_jump(png_structp png, png_const_charp text);

/// libpng's warning function: remembers the text for a later error message
/// and prints nothing.
void imgsearch_png_keep_warning(png_structp png, png_const_charp text);

#endif
