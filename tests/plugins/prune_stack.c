// SPDX-License-Identifier: BSD-2-Clause
/*
 * A pruning mode as a plug-in: stack liveness alone. Dead stack halves are
 * poisoned before states are compared and cached, registers are compared
 * as they are. Beside the built-in exact (neither), regs (registers only)
 * and full (both), it isolates what the half-slot stack liveness buys.
 *
 *     bpfdf verify --prune-plugin tests/plugins/.libs/prune_stack.so prog.o
 *
 * The mode only combines the library's building blocks, which it reaches
 * through the dynamic symbols of the process that loads it.
 */
#include "verify.h"

DF_API const struct df_prune_mode df_plugin_prune_mode = {
	.sz = sizeof(struct df_prune_mode),
	.name = "stack",
	.requires = "stack",
	.summary = "dead stack halves are ignored, registers compared as they are "
		   "(example plug-in)",
	.clean = df_clean_stack,
	.equal = df_states_equal,
};
