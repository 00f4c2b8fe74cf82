// TIFF fixtures through libtiff's writer, into memory (TIFFClientOpen over a
// growable buffer that libtiff may seek back into, to patch offsets).

#include "CImgSearchTestEncoders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

typedef struct memory_file {
    uint8_t *bytes;
    uint64_t length;    // the furthest byte written
    uint64_t capacity;
    uint64_t offset;
} memory_file;

static tmsize_t read_proc(thandle_t handle, void *buffer, tmsize_t count) {
    memory_file *file = (memory_file *)handle;
    if (count <= 0 || file->offset >= file->length) return 0;
    uint64_t available = file->length - file->offset;
    uint64_t taken = (uint64_t)count < available ? (uint64_t)count : available;
    memcpy(buffer, file->bytes + file->offset, (size_t)taken);
    file->offset += taken;
    return (tmsize_t)taken;
}

static tmsize_t write_proc(thandle_t handle, void *buffer, tmsize_t count) {
    memory_file *file = (memory_file *)handle;
    if (count <= 0) return 0;
    uint64_t end = file->offset + (uint64_t)count;
    if (end > file->capacity) {
        uint64_t capacity = file->capacity ? file->capacity : 4096;
        while (capacity < end) capacity *= 2;
        uint8_t *grown = realloc(file->bytes, (size_t)capacity);
        if (grown == NULL) return 0;
        // A seek past the end leaves a hole, which reads back as zeros.
        memset(grown + file->capacity, 0, (size_t)(capacity - file->capacity));
        file->bytes = grown;
        file->capacity = capacity;
    }
    memcpy(file->bytes + file->offset, buffer, (size_t)count);
    file->offset = end;
    if (end > file->length) file->length = end;
    return count;
}

static toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
    memory_file *file = (memory_file *)handle;
    uint64_t base = whence == SEEK_CUR ? file->offset : whence == SEEK_END ? file->length : 0;
    file->offset = base + offset;
    return (toff_t)file->offset;
}

static int close_proc(thandle_t handle) { (void)handle; return 0; }
static toff_t size_proc(thandle_t handle) { return (toff_t)((memory_file *)handle)->length; }
static int map_proc(thandle_t handle, void **base, toff_t *size) { (void)handle; (void)base; (void)size; return 0; }
static void unmap_proc(thandle_t handle, void *base, toff_t size) { (void)handle; (void)base; (void)size; }

static int write_page(TIFF *tiff, const imgsearch_test_tiff_page *page) {
    const uint32_t bytes_per_sample = page->bits_per_sample / 8;
    const uint32_t row_bytes = page->width * page->samples_per_pixel * bytes_per_sample;
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, page->width);
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, page->height);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, page->samples_per_pixel);
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, page->bits_per_sample);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, page->photometric);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_COMPRESSION, page->compression);
    TIFFSetField(tiff, TIFFTAG_ORIENTATION, page->orientation);
    if (page->samples_per_pixel == 4) {
        const uint16_t extra[1] = {EXTRASAMPLE_UNASSALPHA};
        TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, extra);
    }
    if (page->photometric == PHOTOMETRIC_PALETTE) {
        const size_t levels = (size_t)1 << page->bits_per_sample;
        TIFFSetField(tiff, TIFFTAG_COLORMAP, page->colour_map, page->colour_map + levels,
                     page->colour_map + 2 * levels);
    }
    const uint8_t *samples = (const uint8_t *)page->samples;
    if (page->tile_side == 0) {
        TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, page->rows_per_strip ? page->rows_per_strip : page->height);
        for (uint32_t row = 0; row < page->height; row++) {
            if (TIFFWriteScanline(tiff, (void *)(samples + (size_t)row * row_bytes), row, 0) < 0) return 0;
        }
    } else {
        const uint32_t side = page->tile_side;
        TIFFSetField(tiff, TIFFTAG_TILEWIDTH, side);
        TIFFSetField(tiff, TIFFTAG_TILELENGTH, side);
        const uint32_t pixel_bytes = page->samples_per_pixel * bytes_per_sample;
        uint8_t *tile = calloc((size_t)side * side, pixel_bytes);
        if (tile == NULL) return 0;
        for (uint32_t y = 0; y < page->height; y += side) {
            for (uint32_t x = 0; x < page->width; x += side) {
                // Edge tiles are padded with zeros past the picture.
                memset(tile, 0, (size_t)side * side * pixel_bytes);
                for (uint32_t r = 0; r < side && y + r < page->height; r++) {
                    uint32_t columns = x + side <= page->width ? side : page->width - x;
                    memcpy(tile + (size_t)r * side * pixel_bytes,
                           samples + (size_t)(y + r) * row_bytes + (size_t)x * pixel_bytes,
                           (size_t)columns * pixel_bytes);
                }
                if (TIFFWriteTile(tiff, tile, x, y, 0, 0) < 0) {
                    free(tile);
                    return 0;
                }
            }
        }
        free(tile);
    }
    return TIFFWriteDirectory(tiff);
}

uint8_t *imgsearch_test_write_tiff(const imgsearch_test_tiff_page *pages, int page_count, size_t *size) {
    memory_file file = {0};
    TIFF *tiff = TIFFClientOpen("fixture.tif", "w", (thandle_t)&file, read_proc, write_proc, seek_proc,
                                close_proc, size_proc, map_proc, unmap_proc);
    if (tiff == NULL) return NULL;
    int ok = 1;
    for (int p = 0; ok && p < page_count; p++) ok = write_page(tiff, &pages[p]);
    TIFFClose(tiff);
    if (!ok) {
        free(file.bytes);
        return NULL;
    }
    *size = (size_t)file.length;
    return file.bytes;
}
