/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean seg_gen_run (const char * const  *argv,
                      GError             **error);

G_END_DECLS
