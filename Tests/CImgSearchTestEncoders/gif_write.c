// GIF fixtures through giflib's record-by-record writer, into memory.

#include "CImgSearchTestEncoders.h"

#include <gif_lib.h>
#include <stdlib.h>
#include <string.h>

typedef struct growing_buffer {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
    int failed;
} growing_buffer;

static int append(growing_buffer *buffer, const void *bytes, size_t count) {
    if (buffer->length + count > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 1024;
        while (capacity < buffer->length + count) capacity *= 2;
        uint8_t *grown = realloc(buffer->bytes, capacity);
        if (grown == NULL) {
            buffer->failed = 1;
            return 0;
        }
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->length, bytes, count);
    buffer->length += count;
    return 1;
}

static int write_to_buffer(GifFileType *gif, const GifByteType *bytes, int count) {
    return append((growing_buffer *)gif->UserData, bytes, (size_t)count) ? count : 0;
}

// GIF stores an interlaced frame's rows in four passes: every 8th row from
// 0, every 8th from 4, every 4th from 2, every 2nd from 1.
static int put_rows(GifFileType *gif, const imgsearch_test_gif_frame *frame) {
    static const int starts[4] = {0, 4, 2, 1}, steps[4] = {8, 8, 4, 2};
    const int passes = frame->interlaced ? 4 : 1;
    for (int pass = 0; pass < passes; pass++) {
        const int start = frame->interlaced ? starts[pass] : 0;
        const int step = frame->interlaced ? steps[pass] : 1;
        for (int row = start; row < frame->height; row += step) {
            GifPixelType *line = (GifPixelType *)(frame->indices + (size_t)row * frame->width);
            if (EGifPutLine(gif, line, frame->width) != GIF_OK) return 0;
        }
    }
    return 1;
}

uint8_t *imgsearch_test_write_gif(int screen_width, int screen_height,
                                  const uint8_t *palette, int colour_count,
                                  const imgsearch_test_gif_frame *frames, int frame_count,
                                  size_t *size) {
    int table_size = 2;
    while (table_size < colour_count) table_size *= 2;
    if (table_size > 256) return NULL;
    GifColorType colours[256];
    memset(colours, 0, sizeof colours);
    for (int i = 0; i < colour_count; i++) {
        colours[i].Red = palette[3 * i];
        colours[i].Green = palette[3 * i + 1];
        colours[i].Blue = palette[3 * i + 2];
    }
    ColorMapObject *map = GifMakeMapObject(table_size, colours);
    if (map == NULL) return NULL;

    growing_buffer buffer = {0};
    int error = 0;
    GifFileType *gif = EGifOpen(&buffer, write_to_buffer, &error);
    if (gif == NULL) {
        GifFreeMapObject(map);
        return NULL;
    }
    EGifSetGifVersion(gif, true);
    int ok = EGifPutScreenDesc(gif, screen_width, screen_height, 8, 0, map) == GIF_OK;
    for (int f = 0; ok && f < frame_count; f++) {
        const imgsearch_test_gif_frame *frame = &frames[f];
        if (frame->transparent_index >= 0) {
            // Graphic Control Extension: flags (bit 0: transparency), delay, index.
            const uint8_t control[4] = {0x01, 0, 0, (uint8_t)frame->transparent_index};
            ok = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, control) == GIF_OK;
        }
        ok = ok && EGifPutImageDesc(gif, frame->left, frame->top, frame->width, frame->height,
                                    frame->interlaced != 0, NULL) == GIF_OK;
        ok = ok && put_rows(gif, frame);
    }
    if (EGifCloseFile(gif, &error) != GIF_OK) ok = 0;
    GifFreeMapObject(map);
    if (!ok || buffer.failed) {
        free(buffer.bytes);
        return NULL;
    }
    *size = buffer.length;
    return buffer.bytes;
}
