/*
 * How the digests in quant/q6_k_ggml_test.go were made: this harness runs
 * ggml's reference quantizers (from bitnet.cpp's build of its llama.cpp
 * submodule) on the float32 input of ggmlInput, written little-endian to a
 * file. Not built by Go (testdata); to redo the check:
 *
 *   L=BITNET_CPP/build/3rdparty/llama.cpp/ggml/src
 *   cc -O2 -o harness ggml_q6k_harness.c -L$L -lggml -Wl,-rpath,$L
 *   ./harness x.bin q6k.bin q8k.bin && sha256sum x.bin q6k.bin q8k.bin
 *
 * ggml_init must run first: it fills the float16 table the quantizers read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
void quantize_row_q6_K_ref(const float *x, void *y, int64_t k);
void quantize_row_q8_K_ref(const float *x, void *y, int64_t k);
#include <stdbool.h>
struct ggml_init_params { size_t mem_size; void *mem_buffer; bool no_alloc; };
void *ggml_init(struct ggml_init_params p);
void ggml_free(void *ctx);
int main(int argc, char **argv) {
  struct ggml_init_params p = {1<<20, NULL, false}; void *ctx = ggml_init(p); /* fills the fp16 table */
  FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f)/4; fseek(f, 0, SEEK_SET);
  float *x = malloc(n*4); fread(x, 4, n, f); fclose(f);
  void *y = malloc(n/256*210); quantize_row_q6_K_ref(x, y, n);
  f = fopen(argv[2], "wb"); fwrite(y, 210, n/256, f); fclose(f);
  // block_q8_K: float d; int8 qs[256]; int16 bsums[16] = 292 bytes
  void *z = calloc(n/256, 292); quantize_row_q8_K_ref(x, z, n);
  f = fopen(argv[3], "wb"); fwrite(z, 292, n/256, f); fclose(f);
  return 0;
}
