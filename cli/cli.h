/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef BPFDF_CLI_H
#define BPFDF_CLI_H
#include "dataflow.h"
#endif
