/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer entry for the assembler: any text must give an object or one error line. */
#include <stddef.h>
#include <stdint.h>

#include "dataflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct df_object *obj = NULL;

	df_set_print(NULL);
	if (!df_asm((const char *)data, size, "fuzz.s", &obj))
		df_object_free(obj);
	return 0;
}
