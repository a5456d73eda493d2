/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "seg-types.h"
#include "seg-store.h"

static void
test_value_type_round_trip (void)
{
  for (SegValueType t = SEG_VALUE_TYPE_NONE; t <= SEG_VALUE_TYPE_LIST; t++)
    g_assert_cmpint (seg_value_type_from_string (seg_value_type_to_string (t)), ==, t);
  g_assert_cmpint (seg_value_type_from_string ("nonsense"), ==, SEG_VALUE_TYPE_NONE);
  g_assert_cmpint (seg_value_type_from_string (NULL), ==, SEG_VALUE_TYPE_NONE);
}

static void
test_segment_kind_round_trip (void)
{
  SegSegmentKind kind;

  for (SegSegmentKind k = SEG_SEGMENT_KIND_PAST_BEHAVIOR; k <= SEG_SEGMENT_KIND_SYSTEM; k++)
    {
      g_assert_true (seg_segment_kind_from_string (seg_segment_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_false (seg_segment_kind_from_string ("weird", &kind));
}

static void
test_store_interface_type (void)
{
  gpointer iface;

  g_assert_true (G_TYPE_IS_INTERFACE (SEG_TYPE_STORE));
  iface = g_type_default_interface_ref (SEG_TYPE_STORE);
  g_assert_cmpuint (g_signal_lookup ("data-changed", SEG_TYPE_STORE), !=, 0);
  g_type_default_interface_unref (iface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Types/value-type", test_value_type_round_trip);
  g_test_add_func ("/Types/segment-kind", test_segment_kind_round_trip);
  g_test_add_func ("/Store/interface", test_store_interface_type);

  return g_test_run ();
}
