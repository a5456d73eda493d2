/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `segctl live`: the live engine headless. @argv[0] is "live"; the options are its own
 * (see --help). Returns the process exit status: 0, 1 on errors, 2 on usage errors. */
int seg_cli_live_main (int    argc,
                       char **argv);

G_END_DECLS
