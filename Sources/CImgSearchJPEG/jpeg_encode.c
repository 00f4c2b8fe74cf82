// JPEG encoding with the same setjmp/longjmp discipline as jpeg_decode.c:
// error_exit records the message and longjmps back into this function, which
// owns every libjpeg call; nothing is printed. Used to make re-encoded copies
// for the near-duplicate test, so only baseline RGB at a chosen quality.

#include "CImgSearchJPEG.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr base;  // must stay first: libjpeg sees only this part
    jmp_buf jump;
    char *message;
    size_t message_capacity;
} EncodeErrorManager;

static void encode_error_exit(j_common_ptr cinfo) {
    EncodeErrorManager *errors = (EncodeErrorManager *)cinfo->err;
    if (errors->message != NULL && errors->message_capacity > 0) {
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        snprintf(errors->message, errors->message_capacity, "%s", text);
    }
    longjmp(errors->jump, 1);
}

static void encode_output_message(j_common_ptr cinfo) {
    (void)cinfo;  // a library prints nothing
}

ImgSearchJPEGStatus imgsearch_jpeg_encode(const uint8_t *pixels, int32_t width, int32_t height,
                                          int32_t quality, uint8_t **output, size_t *output_size,
                                          char *message, size_t message_capacity) {
    struct jpeg_compress_struct cinfo;
    EncodeErrorManager errors;
    volatile int created = 0;
    unsigned char *buffer = NULL;
    unsigned long buffer_size = 0;

    *output = NULL;
    *output_size = 0;
    if (message != NULL && message_capacity > 0) {
        message[0] = '\0';
    }
    if (width <= 0 || height <= 0 || width > 65500 || height > 65500) {
        snprintf(message, message_capacity, "cannot encode a %dx%d image", width, height);
        return IMGSEARCH_JPEG_TOO_LARGE;
    }

    memset(&errors, 0, sizeof(errors));
    cinfo.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = encode_error_exit;
    errors.base.output_message = encode_output_message;
    errors.message = message;
    errors.message_capacity = message_capacity;

    if (setjmp(errors.jump)) {
        if (created) {
            jpeg_destroy_compress(&cinfo);
        }
        // Not freed: once jpeg_mem_dest has grown its buffer it has freed the
        // first one, whose address is all `buffer` holds until the end. Only
        // out-of-memory can fail an encode of valid pixels, so a leak there
        // is the safe side of a double free.
        return IMGSEARCH_JPEG_CORRUPT;
    }

    jpeg_create_compress(&cinfo);
    created = 1;
    jpeg_mem_dest(&cinfo, &buffer, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * (size_t)width * 3);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *output = buffer;
    *output_size = (size_t)buffer_size;
    return IMGSEARCH_JPEG_OK;
}

void imgsearch_jpeg_free_bytes(uint8_t *bytes) {
    free(bytes);
}
