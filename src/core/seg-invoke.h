/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Hands work from a worker thread to the thread that lives in @context (the UI thread).
 *
 * g_main_context_invoke() is not enough for that: from a worker thread it runs the
 * function right there whenever it can acquire the context (the UI thread between two
 * iterations), because a worker's thread-default context falls back to the global
 * default. Signals then fire on the worker while the UI thread draws — the crashes and
 * "G_IS_OBJECT" criticals of the window tests.
 *
 * seg_invoke() calls @function at once only on @home (the thread that captured @context,
 * see seg_invoke_home()) or on a thread that owns @context; anywhere else it attaches an
 * idle source to @context.
 */
void     seg_invoke      (GMainContext   *context,
                          GThread        *home,
                          gint            priority,
                          GSourceFunc     function,
                          gpointer        data,
                          GDestroyNotify  notify);

/* The calling thread, referenced: the @home of the context it captures now. */
GThread *seg_invoke_home (void);

G_END_DECLS
