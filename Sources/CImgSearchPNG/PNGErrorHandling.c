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
    const char *error = text != NULL ? text : "unknown libpng error";
    if (context->message != NULL && context->message_capacity > 0) {
        if (context->last_warning[0] != '\0') {
            snprintf(context->message, context->message_capacity, "%s (after warning: %s)",
                     error, context->last_warning);
        } else {
            snprintf(context->message, context->message_capacity, "%s", error);
        }
    }
    longjmp(context->jump, 1);
}

// Warnings are about damage libpng has worked around (a bad CRC in an
// ancillary chunk, an oversized iCCP) or the detail behind an error that
// follows; a library must never print them.
void imgsearch_png_keep_warning(png_structp png, png_const_charp text) {
    imgsearch_png_error_context *context = (imgsearch_png_error_context *)png_get_error_ptr(png);
    imgsearch_png_write_message(context->last_warning, sizeof context->last_warning,
                                text != NULL ? text : "");
}

// Both the decoder's pixels and the encoder's bytes come from malloc/realloc
// in this target, so one free serves both, and Swift never has to know.
void imgsearch_png_free(void *buffer) {
    free(buffer);
}
