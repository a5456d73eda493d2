/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-invoke"

#include "config.h"

#include "seg-invoke.h"

GThread *
seg_invoke_home (void)
{
  return g_thread_ref (g_thread_self ());
}

void
seg_invoke (GMainContext   *context,
            GThread        *home,
            gint            priority,
            GSourceFunc     function,
            gpointer        data,
            GDestroyNotify  notify)
{
  GSource *source;

  if (context == NULL)
    context = g_main_context_default ();

  if (g_main_context_is_owner (context))
    {
      while (function (data) == G_SOURCE_CONTINUE)
        ;
      if (notify != NULL)
        notify (data);
      return;
    }
  if (home != NULL && home == g_thread_self () && g_main_context_acquire (context))
    {
      while (function (data) == G_SOURCE_CONTINUE)
        ;
      g_main_context_release (context);
      if (notify != NULL)
        notify (data);
      return;
    }

  source = g_idle_source_new ();
  g_source_set_priority (source, priority);
  g_source_set_callback (source, function, data, notify);
  g_source_set_static_name (source, "[segment-studio] seg_invoke");
  g_source_attach (source, context);
  g_source_unref (source);
}
