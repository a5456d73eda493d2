/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The generator's vocabulary lives in the core library (src/core/seg-gen-vocab.h) since the
 * app's demo data uses the same generator; seg-defgen includes it through this name. */
#include "../../src/core/seg-gen-vocab.h"
