#include "CImgSearchPNG.h"
#include "PNGErrorHandling.h"

#include <stdio.h>
#include <stdlib.h>

void imgsearch_png_write_message(char *message, size_t capacity, const char *text) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
}

void imgsearch_png_report_error_and_jump(png_structp png, png_const_charp text) {
    imgsearch_png_error_context *context = (imgsearch_png_error_context *)png_get_error_ptr(png);
    imgsearch_png_write_message(context->message, context->message_capacity,
                                text != NULL ? text : "unknown libpng error");
    longjmp(context->jump, 1);
}

// Warnings are about damage libpng has already worked around (a bad CRC in an
// ancillary chunk, an oversized iCCP); a library must never print them.
void imgsearch_png_ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

// Both the decoder's pixels and the encoder's bytes come from malloc/realloc
// in this target, so one free serves both, and Swift never has to know.
void imgsearch_png_free(void *buffer) {
    free(buffer);
}
