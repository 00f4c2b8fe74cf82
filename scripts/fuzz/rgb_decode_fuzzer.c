// libFuzzer entry point over one of the format decoders that share a shape
// (imgsearch_webp_decode, imgsearch_gif_decode, imgsearch_tiff_decode: bytes,
// pixel limit and background colour in; RGB pixels, or a status and a
// message, out), which hand untrusted bytes to libwebp and libwebpdemux,
// giflib or libtiff. scripts/fuzz.sh builds it once per format with
// AddressSanitizer and UndefinedBehaviorSanitizer, defining
// FUZZ_FORMAT_HEADER ("CImgSearchGIF.h"), FUZZ_FORMAT (gif) and
// FUZZ_FORMAT_OK (IMGSEARCH_GIF_OK).
//
// The first input byte picks the background colour (so the alpha paths
// are exercised with different values); the rest is the file.

#include <stddef.h>
#include <stdint.h>

#include FUZZ_FORMAT_HEADER

#define FUZZ_NAME2(prefix, format, suffix) prefix##format##suffix
#define FUZZ_NAME(prefix, format, suffix) FUZZ_NAME2(prefix, format, suffix)

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
    FUZZ_NAME(imgsearch_, FUZZ_FORMAT, _image) image;
    if (FUZZ_NAME(imgsearch_, FUZZ_FORMAT, _decode)(data + 1, size - 1, fuzz_pixel_limit, background,
                                                   (uint8_t)(background * 3), (uint8_t)(255 - background),
                                                   &image, message, sizeof(message)) == FUZZ_FORMAT_OK) {
        // Touch every byte so a short buffer shows up under ASan.
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < (size_t)image.width * (size_t)image.height * 3; i++) {
            sink ^= image.pixels[i];
        }
        (void)sink;
    }
    FUZZ_NAME(imgsearch_, FUZZ_FORMAT, _free)(image.pixels);
    return 0;
}
