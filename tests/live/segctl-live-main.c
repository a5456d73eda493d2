/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `segctl live` on its own, for the tests, until segctl's command table dispatches it. */
#include "config.h"

#include <locale.h>

#include "seg-cli-live.h"

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  return seg_cli_live_main (argc, argv);
}
