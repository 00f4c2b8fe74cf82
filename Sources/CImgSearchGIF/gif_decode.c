// The first frame of a GIF to 8-bit RGB with giflib's low-level reading
// calls (DGifGetRecordType, DGifGetImageDesc, DGifGetLine), so that only the
// first frame is ever decompressed: DGifSlurp would read every frame of an
// animation. giflib never prints and never exits.

#include "CImgSearchGIF.h"

#include <gif_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct memory_source {
    const uint8_t *data;
    size_t size;
    size_t offset;
} memory_source;

static int read_from_memory(GifFileType *gif, GifByteType *destination, int length) {
    memory_source *source = (memory_source *)gif->UserData;
    if (length <= 0) return 0;
    size_t count = (size_t)length;
    if (count > source->size - source->offset) {
        count = source->size - source->offset;
    }
    memcpy(destination, source->data + source->offset, count);
    source->offset += count;
    return (int)count;
}

static void write_message(char *message, size_t capacity, const char *text) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
}

static void write_gif_error(char *message, size_t capacity, const char *what, int code) {
    const char *reason = GifErrorString(code);
    if (message != NULL && capacity > 0) {
        if (code == D_GIF_ERR_READ_FAILED) {
            snprintf(message, capacity, "%s: %s (the GIF is truncated, or its LZW data is invalid)", what, reason != NULL ? reason : "read failed");
        } else {
            snprintf(message, capacity, "%s: %s", what, reason != NULL ? reason : "unknown giflib error");
        }
    }
}

static void close_gif(GifFileType *gif) {
    int ignored = 0;
    if (gif != NULL) DGifCloseFile(gif, &ignored);
}

imgsearch_gif_status imgsearch_gif_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_gif_image *image,
    char *message, size_t message_capacity)
{
    image->pixels = NULL;
    image->width = 0;
    image->height = 0;
    write_message(message, message_capacity, "");

    memory_source source = {.data = data, .size = size, .offset = 0};
    int error = 0;
    // Reads the signature, the logical screen descriptor and the global
    // colour table.
    GifFileType *gif = DGifOpen(&source, read_from_memory, &error);
    if (gif == NULL) {
        write_gif_error(message, message_capacity, "cannot open the GIF", error);
        return error == D_GIF_ERR_NOT_ENOUGH_MEM ? IMGSEARCH_GIF_OUT_OF_MEMORY : IMGSEARCH_GIF_CORRUPT;
    }

    int transparent_index = -1;
    for (;;) {
        GifRecordType record;
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) {
            write_gif_error(message, message_capacity, "cannot read a GIF record", gif->Error);
            close_gif(gif);
            return IMGSEARCH_GIF_CORRUPT;
        }
        if (record == TERMINATE_RECORD_TYPE) {
            write_message(message, message_capacity, "the GIF holds no image");
            close_gif(gif);
            return IMGSEARCH_GIF_CORRUPT;
        }
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType *block = NULL;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) {
                write_gif_error(message, message_capacity, "cannot read a GIF extension", gif->Error);
                close_gif(gif);
                return IMGSEARCH_GIF_CORRUPT;
            }
            // Graphic Control Extension: block[0] is its length (4), bit 0
            // of block[1] says whether block[4] is a transparent index. The
            // last one before the image applies to it.
            if (code == GRAPHICS_EXT_FUNC_CODE && block != NULL && block[0] >= 4) {
                transparent_index = (block[1] & 0x01) ? block[4] : -1;
            }
            while (block != NULL) {
                if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) {
                    write_gif_error(message, message_capacity, "cannot read a GIF extension", gif->Error);
                    close_gif(gif);
                    return IMGSEARCH_GIF_CORRUPT;
                }
            }
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE) {
            continue;  // UNDEFINED / SCREEN_DESC: giflib has already rejected what it cannot skip
        }

        if (DGifGetImageDesc(gif) == GIF_ERROR) {
            write_gif_error(message, message_capacity, "cannot read the GIF image descriptor", gif->Error);
            close_gif(gif);
            return IMGSEARCH_GIF_CORRUPT;
        }
        const GifImageDesc frame = gif->Image;
        if (frame.Left < 0 || frame.Top < 0 || frame.Width < 0 || frame.Height < 0) {
            write_message(message, message_capacity, "the GIF frame has a negative position or size");
            close_gif(gif);
            return IMGSEARCH_GIF_CORRUPT;
        }
        // The logical screen, grown to the frame where the frame reaches past it.
        uint64_t width = gif->SWidth > 0 ? (uint64_t)gif->SWidth : 0;
        uint64_t height = gif->SHeight > 0 ? (uint64_t)gif->SHeight : 0;
        const uint64_t right = (uint64_t)frame.Left + (uint64_t)frame.Width;
        const uint64_t bottom = (uint64_t)frame.Top + (uint64_t)frame.Height;
        if (right > width) width = right;
        if (bottom > height) height = bottom;
        image->width = (uint32_t)width;
        image->height = (uint32_t)height;
        if (width == 0 || height == 0 || frame.Width == 0 || frame.Height == 0) {
            write_message(message, message_capacity, "the GIF image has no pixels (zero width or height)");
            close_gif(gif);
            return IMGSEARCH_GIF_CORRUPT;
        }
        const uint64_t pixel_count = width * height;
        if (pixel_count > maximum_pixel_count) {
            close_gif(gif);
            return IMGSEARCH_GIF_TOO_LARGE;
        }
        if (pixel_count > SIZE_MAX / 4) {
            close_gif(gif);
            return IMGSEARCH_GIF_OUT_OF_MEMORY;
        }

        const ColorMapObject *colours = frame.ColorMap != NULL ? frame.ColorMap : gif->SColorMap;
        uint8_t palette[256][3];
        for (int i = 0; i < 256; i++) {
            if (colours == NULL) {
                palette[i][0] = palette[i][1] = palette[i][2] = (uint8_t)i;
            } else if (i < colours->ColorCount && colours->Colors != NULL) {
                palette[i][0] = colours->Colors[i].Red;
                palette[i][1] = colours->Colors[i].Green;
                palette[i][2] = colours->Colors[i].Blue;
            } else {
                palette[i][0] = palette[i][1] = palette[i][2] = 0;
            }
        }

        const uint8_t background[3] = {background_red, background_green, background_blue};
        uint8_t *pixels = malloc((size_t)pixel_count * 3);
        GifPixelType *line = malloc((size_t)frame.Width);
        if (pixels == NULL || line == NULL) {
            free(pixels);
            free(line);
            close_gif(gif);
            return IMGSEARCH_GIF_OUT_OF_MEMORY;
        }
        for (size_t i = 0; i < (size_t)pixel_count; i++) {
            memcpy(pixels + 3 * i, background, 3);
        }

        // Interlaced frames store rows in four passes: every 8th row from 0,
        // every 8th from 4, every 4th from 2, every 2nd from 1.
        static const int pass_start[4] = {0, 4, 2, 1};
        static const int pass_step[4] = {8, 8, 4, 2};
        const int passes = frame.Interlace ? 4 : 1;
        for (int pass = 0; pass < passes; pass++) {
            const int start = frame.Interlace ? pass_start[pass] : 0;
            const int step = frame.Interlace ? pass_step[pass] : 1;
            for (int row = start; row < frame.Height; row += step) {
                if (DGifGetLine(gif, line, frame.Width) == GIF_ERROR) {
                    write_gif_error(message, message_capacity, "cannot decode the GIF image data", gif->Error);
                    free(pixels);
                    free(line);
                    close_gif(gif);
                    return IMGSEARCH_GIF_CORRUPT;
                }
                uint8_t *target = pixels + (((size_t)(frame.Top + row)) * width + (size_t)frame.Left) * 3;
                for (int x = 0; x < frame.Width; x++) {
                    const int index = line[x];
                    if (index != transparent_index) {
                        memcpy(target + 3 * (size_t)x, palette[index], 3);
                    }
                }
            }
        }
        free(line);
        close_gif(gif);
        image->pixels = pixels;
        return IMGSEARCH_GIF_OK;
    }
}

void imgsearch_gif_free(void *buffer) {
    free(buffer);
}
