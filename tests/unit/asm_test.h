/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the assembler and writer tests: captured diagnostics, assembling. */
#ifndef ASM_TEST_H
#define ASM_TEST_H

#include "internal.h"

/* Warnings printed by the library since the last setup() or assemble(). */
extern char asm_test_msgs[8192];

void asm_test_setup(void);
void asm_test_teardown(void);
/* Assemble text; the test fails unless it assembles without a message. */
struct df_object *asm_test_assemble(const char *text, const char *name);

/* A caller passing 12 arguments, 6..12 through r11, to a 12-argument subprogram. */
#define SUM12 \
	".license \"GPL\"\n" \
	".prog caller \"tc\"\n" \
	"\tr1 = 1\n\tr2 = 2\n\tr3 = 3\n\tr4 = 4\n\tr5 = 5\n" \
	"\t*(u64 *)(r11 -8) = 6\n\t*(u64 *)(r11 -16) = 7\n" \
	"\t*(u64 *)(r11 -24) = 8\n\t*(u64 *)(r11 -32) = 9\n" \
	"\t*(u64 *)(r11 -40) = 10\n\tr6 = 11\n\t*(u64 *)(r11 -48) = r6\n" \
	"\t*(u64 *)(r11 -56) = 12\n" \
	"\tcall sum12\n\texit\n" \
	".func sum12 12 static\n" \
	"\tr0 = r1\n\tr0 += r5\n" \
	"\tr6 = *(u64 *)(r11 +8)\n\tr0 += r6\n" \
	"\tr6 = *(u64 *)(r11 +56)\n\tr0 += r6\n\texit\n"

#endif
