/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store.h"

G_BEGIN_DECLS

int seg_cli_demo (SegStore  *store,
                  char     **args,
                  gboolean   json,
                  GError   **error);

G_END_DECLS
