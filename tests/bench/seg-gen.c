/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seg-gen: the seedable generator of realistic event data (src/core/seg-gen.c), as a
 * program. See tests/bench/README.md for its options.
 */
#define G_LOG_DOMAIN "seg-gen"

#include "config.h"

#include "seg-gen.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (!seg_gen_run ((const char * const *) argv, &error))
    {
      g_printerr ("seg-gen: %s\n", error->message);
      return 1;
    }

  return 0;
}
