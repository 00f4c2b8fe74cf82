// libFuzzer entry point over the C decode functions of CImgSearchJPEG and
// CImgSearchPNG, the code that reads untrusted bytes. Built and run by
// scripts/fuzz.sh with AddressSanitizer and UndefinedBehaviorSanitizer.
//
// The first input byte picks the options, so one corpus exercises the DCT
// scaling and DC-only paths as well as full-size decoding; the rest is the
// file. Every input goes to both decoders: each must refuse the other's
// format cleanly, and a crash in either is a finding.

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "CImgSearchJPEG.h"
#include "CImgSearchPNG.h"

// Keeps the fuzzer's memory bounded: 16 M pixels is 48 MB of RGB.
static const uint64_t fuzz_pixel_limit = 16u * 1024u * 1024u;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    const uint8_t selector = data[0];
    const uint8_t *file = data + 1;
    const size_t file_size = size - 1;
    char message[256];

    ImgSearchJPEGOptions options;
    memset(&options, 0, sizeof(options));
    options.max_pixels = fuzz_pixel_limit;
    options.min_side = (selector & 1) ? 32 : 0;
    options.warnings_are_errors = (selector & 2) ? 0 : 1;
    options.progressive_dc_only = (selector & 4) ? 0 : 1;
    ImgSearchJPEGImage jpeg;
    if (imgsearch_jpeg_decode(file, file_size, &options, &jpeg, message, sizeof(message)) == IMGSEARCH_JPEG_OK) {
        // Touch every byte so a short buffer shows up under ASan.
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < (size_t)jpeg.width * (size_t)jpeg.height * 3; i++) {
            sink ^= jpeg.pixels[i];
        }
        (void)sink;
    }
    imgsearch_jpeg_free(&jpeg);

    imgsearch_png_image png;
    if (imgsearch_png_decode(file, file_size, fuzz_pixel_limit, 255, 255, 255, &png, message, sizeof(message)) == IMGSEARCH_PNG_OK) {
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < (size_t)png.width * (size_t)png.height * 3; i++) {
            sink ^= png.pixels[i];
        }
        (void)sink;
    }
    imgsearch_png_free(png.pixels);
    return 0;
}
