/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reads the Flatpak manifest as flatpak-builder would and checks that it builds this
 * application, runs its program, and asks for no more of the host than the app needs.
 *
 * Usage: test-manifest MANIFEST APP-ID COMMAND
 */
#define G_LOG_DOMAIN "test-manifest"

#include "config.h"

#include <json-glib/json-glib.h>

static const char *manifest_path;
static const char *expected_app_id;
static const char *expected_command;

static JsonObject *
load_manifest (JsonParser **parser_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, manifest_path, &error);
  g_assert_no_error (error);

  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

static void
test_identity (void)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  const char *version;

  g_assert_cmpstr (json_object_get_string_member (manifest, "app-id"), ==, expected_app_id);
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, expected_command);
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");

  /* A released GNOME runtime (e.g. "47"), not "master". */
  version = json_object_get_string_member (manifest, "runtime-version");
  g_assert_nonnull (version);
  g_assert_true (g_ascii_isdigit (version[0]));
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), >=, 45);
}

static void
test_finish_args (void)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  const char *expected[] = {
    "--share=network",       /* remote stores */
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
  };
  JsonArray *args;

  g_assert_true (json_object_has_member (manifest, "finish-args"));
  args = json_object_get_array_member (manifest, "finish-args");
  g_assert_cmpuint (json_array_get_length (args), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);
      gboolean known = FALSE;

      /* Files come through the file chooser portal, never through host access. */
      g_assert_false (g_str_has_prefix (arg, "--filesystem"));

      for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
        known |= g_strcmp0 (arg, expected[j]) == 0;
      if (!known)
        g_error ("Unexpected finish-arg %s", arg);
    }
}

static void
test_app_module (void)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  g_autofree char *manifest_dir = g_path_get_dirname (manifest_path);
  g_autofree char *meson_build = NULL;
  JsonArray *modules;
  JsonArray *sources;
  JsonObject *app_module;
  JsonObject *source;

  /* The application is the last module: flatpak-builder builds modules in order. */
  modules = json_object_get_array_member (manifest, "modules");
  g_assert_nonnull (modules);
  g_assert_cmpuint (json_array_get_length (modules), >=, 1);
  app_module = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_nonnull (app_module);
  g_assert_cmpstr (json_object_get_string_member (app_module, "name"), ==, "segment-studio");
  g_assert_cmpstr (json_object_get_string_member (app_module, "buildsystem"), ==, "meson");

  /* It builds this very source tree. */
  sources = json_object_get_array_member (app_module, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  source = json_array_get_object_element (sources, 0);
  g_assert_cmpstr (json_object_get_string_member (source, "type"), ==, "dir");
  meson_build = g_build_filename (manifest_dir,
                                  json_object_get_string_member (source, "path"),
                                  "meson.build", NULL);
  g_assert_true (g_file_test (meson_build, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc != 4)
    {
      g_printerr ("Usage: %s MANIFEST APP-ID COMMAND\n", argv[0]);
      return 1;
    }
  manifest_path = argv[1];
  expected_app_id = argv[2];
  expected_command = argv[3];

  g_test_add_func ("/Flatpak/identity", test_identity);
  g_test_add_func ("/Flatpak/finish-args", test_finish_args);
  g_test_add_func ("/Flatpak/app-module", test_app_module);

  return g_test_run ();
}
