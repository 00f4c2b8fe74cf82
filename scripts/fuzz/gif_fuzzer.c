// libFuzzer entry point over imgsearch_gif_decode (the C target
// CImgSearchGIF), which hands untrusted bytes to giflib. Built
// and run by scripts/fuzz.sh with AddressSanitizer and UndefinedBehaviorSanitizer.
//
// The first input byte picks the background colour (so the alpha paths
// are exercised with different values); the rest is the file.

#include <stddef.h>
#include <stdint.h>

#include "CImgSearchGIF.h"

// Keeps each input fast and the memory bounded: 1 M pixels (bilevel and
// LZW pages of several megapixels fit in a few kilobytes and would slow
// the fuzzer to tens of inputs a second under ASan).
static const uint64_t fuzz_pixel_limit = 1024u * 1024u;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    const uint8_t background = data[0];
    char message[256];
    imgsearch_gif_image image;
    if (imgsearch_gif_decode(data + 1, size - 1, fuzz_pixel_limit, background, (uint8_t)(background * 3), (uint8_t)(255 - background),
                              &image, message, sizeof(message)) == IMGSEARCH_GIF_OK) {
        // Touch every byte so a short buffer shows up under ASan.
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < (size_t)image.width * (size_t)image.height * 3; i++) {
            sink ^= image.pixels[i];
        }
        (void)sink;
    }
    imgsearch_gif_free(image.pixels);
    return 0;
}
