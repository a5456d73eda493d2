/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "segment-studio"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "seg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SegApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Segment Studio"));

  app = seg_application_new (APPLICATION_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
