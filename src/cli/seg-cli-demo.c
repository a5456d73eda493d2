/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "segctl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "seg-cli-demo.h"
#include "seg-demo.h"
#include "seg-local-store.h"

/* segctl demo [EVENTS [USERS]]: generate the demo data, import it and save the example
 * segments, as the app's Load Demo Data does. */
int
seg_cli_demo (SegStore  *store,
              char     **args,
              gboolean   json,
              GError   **error)
{
  guint64 n_events = SEG_DEMO_N_EVENTS, n_users = SEG_DEMO_N_USERS;

  if (args[0] != NULL && !g_ascii_string_to_unsigned (args[0], 10, 1, G_MAXINT32,
                                                      &n_events, error))
    return 2;
  if (args[0] != NULL && args[1] != NULL &&
      !g_ascii_string_to_unsigned (args[1], 10, 1, G_MAXINT32, &n_users, error))
    return 2;

  if (!seg_demo_load (store, n_events, n_users, 0, NULL, NULL, NULL, error))
    return 1;

  if (SEG_IS_LOCAL_STORE (store))
    {
      SegLocalStore *local = SEG_LOCAL_STORE (store);

      if (json)
        g_print ("{\"users\":%u,\"events\":%" G_GUINT64_FORMAT "}\n",
                 seg_local_store_get_n_users (local), seg_local_store_get_n_events (local));
      else
        g_print (_("Demo data loaded: the store holds %u users and %" G_GUINT64_FORMAT " events\n"),
                 seg_local_store_get_n_users (local), seg_local_store_get_n_events (local));
    }

  return 0;
}
