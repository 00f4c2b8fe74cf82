// JPEG decoding with libjpeg's setjmp/longjmp error discipline, in the manner
// of libjpeg-turbo's turbojpeg.c: an error_exit that records the message and
// longjmps, an output_message that prints nothing, the setjmp in the same
// function that makes the libjpeg calls, and `volatile` on every local that
// is read after a longjmp.

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
    int warnings_are_errors;
    int warning_count;
    ImgSearchJPEGStatus status;
    char *message;
    size_t message_capacity;
} ErrorManager;

static void record_message(j_common_ptr cinfo) {
    ErrorManager *errors = (ErrorManager *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    if (errors->message != NULL && errors->message_capacity > 0) {
        snprintf(errors->message, errors->message_capacity, "%s", text);
    }
}

static ImgSearchJPEGStatus status_for_error(int code) {
    switch (code) {
    case JERR_BAD_PRECISION:       // 12- and 16-bit samples
    case JERR_SOF_UNSUPPORTED:     // lossless and hierarchical processes
    case JERR_ARITH_NOTIMPL:
    case JERR_NOT_COMPILED:
    case JERR_CONVERSION_NOTIMPL:
        return IMGSEARCH_JPEG_UNSUPPORTED;
    case JERR_OUT_OF_MEMORY:
        return IMGSEARCH_JPEG_OUT_OF_MEMORY;
    case JERR_IMAGE_TOO_BIG:  // a side over libjpeg's own 65500 limit
        return IMGSEARCH_JPEG_TOO_LARGE;
    default:
        return IMGSEARCH_JPEG_CORRUPT;
    }
}

static void error_exit(j_common_ptr cinfo) {
    ErrorManager *errors = (ErrorManager *)cinfo->err;
    record_message(cinfo);
    errors->status = status_for_error(cinfo->err->msg_code);
    longjmp(errors->jump, 1);
}

// Warnings that leave every pixel decoded: unknown metadata, and stray bytes
// skipped between the end of a completely decoded segment and the next
// marker (common in camera and MJPEG files). Every other warning means the
// entropy-coded data is damaged or cut short and part of the picture would be
// filled with grey.
static int is_harmless_warning(int code) {
    return code == JWRN_ADOBE_XFORM || code == JWRN_JFIF_MAJOR || code == JWRN_BOGUS_ICC ||
           code == JWRN_EXTRANEOUS_DATA;
}

static void emit_message(j_common_ptr cinfo, int level) {
    ErrorManager *errors = (ErrorManager *)cinfo->err;
    if (level >= 0) {
        return;  // trace messages
    }
    if (errors->warnings_are_errors && !is_harmless_warning(cinfo->err->msg_code)) {
        record_message(cinfo);
        errors->status = IMGSEARCH_JPEG_CORRUPT;
        longjmp(errors->jump, 1);
    }
    errors->warning_count++;
}

static void output_message(j_common_ptr cinfo) {
    (void)cinfo;  // a library prints nothing
}

// The smallest M/8 scale (M = 1...8) that keeps both sides >= min_side.
static void choose_scale(struct jpeg_decompress_struct *cinfo, int min_side) {
    cinfo->scale_denom = 8;
    for (unsigned int num = 1; num <= 8; num++) {
        cinfo->scale_num = num;
        jpeg_calc_output_dimensions(cinfo);
        if ((int)cinfo->output_width >= min_side && (int)cinfo->output_height >= min_side) {
            return;
        }
    }
}

// Adobe applications write CMYK inverted (0 = full ink); others write it
// plainly. Either way the result is the naive, profile-free conversion.
static void cmyk_row_to_rgb(const JSAMPLE *cmyk, uint8_t *rgb, JDIMENSION width, int inverted) {
    for (JDIMENSION x = 0; x < width; x++) {
        unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        if (!inverted) {
            c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
        }
        rgb[3 * x] = (uint8_t)((c * k + 127) / 255);
        rgb[3 * x + 1] = (uint8_t)((m * k + 127) / 255);
        rgb[3 * x + 2] = (uint8_t)((y * k + 127) / 255);
    }
}

// Whether an EOI marker (FF D9) lies in the last bytes of the file. Used in
// DC-only mode, which stops before the end and so would not see truncation.
static int has_end_marker(const uint8_t *data, size_t size) {
    size_t window = size < 65536 ? size : 65536;
    for (size_t i = size - 1; i > 0 && i >= size - window + 1; i--) {
        if (data[i] == 0xD9 && data[i - 1] == 0xFF) {
            return 1;
        }
    }
    return 0;
}

// After a scan header has been read: whether every component already has
// its DC coefficients and the new scan carries AC coefficients only.
static int dc_complete_before_ac_scan(struct jpeg_decompress_struct *cinfo) {
    if (cinfo->Ss == 0) {
        return 0;
    }
    for (int c = 0; c < cinfo->num_components; c++) {
        if (cinfo->coef_bits[c][0] < 0) {
            return 0;
        }
    }
    return 1;
}

ImgSearchJPEGStatus imgsearch_jpeg_decode(const uint8_t *data, size_t size,
                                          const ImgSearchJPEGOptions *options,
                                          ImgSearchJPEGImage *image,
                                          char *message, size_t message_capacity) {
    struct jpeg_decompress_struct cinfo;
    ErrorManager errors;
    volatile int created = 0;
    uint8_t *volatile pixels = NULL;
    JSAMPLE *volatile cmyk_row = NULL;

    memset(image, 0, sizeof(*image));
    if (message != NULL && message_capacity > 0) {
        message[0] = '\0';
    }
    if (size == 0) {
        snprintf(message, message_capacity, "empty file");
        return IMGSEARCH_JPEG_CORRUPT;
    }

    memset(&errors, 0, sizeof(errors));
    cinfo.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = error_exit;
    errors.base.emit_message = emit_message;
    errors.base.output_message = output_message;
    errors.warnings_are_errors = options->warnings_are_errors;
    errors.message = message;
    errors.message_capacity = message_capacity;
    errors.status = IMGSEARCH_JPEG_CORRUPT;

    if (setjmp(errors.jump)) {
        free(pixels);
        free(cmyk_row);
        memset(image, 0, sizeof(*image));
        if (created) {
            // cinfo lives in memory (its address went to libjpeg), so its
            // fields are valid after the longjmp.
            image->source_width = (int32_t)cinfo.image_width;
            image->source_height = (int32_t)cinfo.image_height;
            jpeg_destroy_decompress(&cinfo);
        }
        return errors.status;
    }

    jpeg_create_decompress(&cinfo);
    created = 1;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    image->source_width = (int32_t)cinfo.image_width;
    image->source_height = (int32_t)cinfo.image_height;
    image->is_progressive = cinfo.progressive_mode ? 1 : 0;
    uint64_t declared = (uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height;
    if (declared > options->max_pixels) {
        snprintf(message, message_capacity, "%ux%u exceeds the pixel limit",
                 cinfo.image_width, cinfo.image_height);
        jpeg_destroy_decompress(&cinfo);
        return IMGSEARCH_JPEG_TOO_LARGE;
    }

    int cmyk = 0;
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
        cinfo.out_color_space = JCS_RGB;
        break;
    case JCS_CMYK:
    case JCS_YCCK:  // libjpeg turns YCCK into CMYK
        cinfo.out_color_space = JCS_CMYK;
        cmyk = 1;
        break;
    default:
        snprintf(message, message_capacity, "unsupported colour space with %d components",
                 cinfo.num_components);
        jpeg_destroy_decompress(&cinfo);
        return IMGSEARCH_JPEG_UNSUPPORTED;
    }

    if (options->min_side > 0) {
        choose_scale(&cinfo, options->min_side);
    } else {
        cinfo.scale_num = 8;
        cinfo.scale_denom = 8;
    }
    image->scale_num = (int32_t)cinfo.scale_num;

    // At 1/8 scale the inverse DCT keeps only the DC coefficient, so a
    // progressive file's AC scans cost time and change nothing visible.
    int dc_only = options->progressive_dc_only && cinfo.progressive_mode &&
                  cinfo.scale_num == 1 && cinfo.scale_denom == 8;
    if (dc_only && options->warnings_are_errors && !has_end_marker(data, size)) {
        snprintf(message, message_capacity, "Premature end of JPEG file (no end-of-image marker)");
        jpeg_destroy_decompress(&cinfo);
        return IMGSEARCH_JPEG_CORRUPT;
    }
    if (dc_only) {
        cinfo.buffered_image = TRUE;
        cinfo.do_block_smoothing = FALSE;
    }

    jpeg_start_decompress(&cinfo);
    size_t row_bytes = (size_t)cinfo.output_width * 3;
    pixels = malloc(row_bytes * cinfo.output_height);
    if (cmyk) {
        cmyk_row = malloc((size_t)cinfo.output_width * 4);
    }
    if (pixels == NULL || (cmyk && cmyk_row == NULL)) {
        snprintf(message, message_capacity, "out of memory for %ux%u pixels",
                 cinfo.output_width, cinfo.output_height);
        errors.status = IMGSEARCH_JPEG_OUT_OF_MEMORY;
        longjmp(errors.jump, 1);
    }

    if (dc_only) {
        // Read scans until the first one with AC coefficients begins (its
        // data is not read), then display what the completed scans hold.
        int result;
        do {
            result = jpeg_consume_input(&cinfo);
        } while (result != JPEG_REACHED_EOI &&
                 !(result == JPEG_REACHED_SOS && dc_complete_before_ac_scan(&cinfo)));
        int last_complete_scan = cinfo.input_scan_number - (result == JPEG_REACHED_SOS ? 1 : 0);
        jpeg_start_output(&cinfo, last_complete_scan);
        image->used_dc_only = 1;
    }

    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *row = pixels + row_bytes * cinfo.output_scanline;
        JSAMPROW target = cmyk ? cmyk_row : row;
        if (jpeg_read_scanlines(&cinfo, &target, 1) != 1) {
            snprintf(message, message_capacity, "libjpeg returned no scanline");
            errors.status = IMGSEARCH_JPEG_CORRUPT;
            longjmp(errors.jump, 1);
        }
        if (cmyk) {
            cmyk_row_to_rgb(cmyk_row, row, cinfo.output_width, cinfo.saw_Adobe_marker);
        }
    }

    if (dc_only) {
        // jpeg_finish_output would read on to the next scan; stop here.
        jpeg_abort_decompress(&cinfo);
    } else {
        jpeg_finish_decompress(&cinfo);
    }

    image->width = (int32_t)cinfo.output_width;
    image->height = (int32_t)cinfo.output_height;
    image->warning_count = errors.warning_count;
    image->pixels = pixels;
    free(cmyk_row);
    jpeg_destroy_decompress(&cinfo);
    return IMGSEARCH_JPEG_OK;
}

void imgsearch_jpeg_free(ImgSearchJPEGImage *image) {
    if (image != NULL) {
        free(image->pixels);
        image->pixels = NULL;
    }
}
