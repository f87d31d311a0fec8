/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer entry point: the ELF loader on arbitrary bytes. */
#include "dataflow.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int silent(enum df_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	DF_OPTS(df_open_opts, opts, .kind = DF_INPUT_ELF);
	struct df_object *obj = NULL;
	uint32_t i, pc;
	size_t text = 0;

	df_set_print(silent);
	if (df_object_open_mem(data, size, "fuzz.o", &opts, &obj))
		return 0;
	/* touch what the loader produced so that bad lengths show up */
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *p = &obj->progs[i];

		for (pc = 0; pc < p->insn_cnt; pc++)
			(void)df_prog_map_at(p, pc);
		if (p->func_cnt && p->insn_cnt)
			(void)df_prog_func_at(p, p->insn_cnt - 1);
		for (pc = 0; pc < p->line_cnt; pc++)
			text += strlen(p->lines[pc].file) + strlen(p->lines[pc].text);
	}
	df_object_free(obj);
	return text == (size_t)-1;
}
