/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The vocabulary of the generated data, shared by seg-gen (which writes it) and
 * seg-defgen (which draws filter values from it so that random definitions select
 * something).
 */
#pragma once

#include <glib.h>


G_GNUC_UNUSED static const char * const event_names[] = {
  "App Launched", "Product Viewed", "Added To Cart", "Charged", "Page Visited", "Rated",
};

G_GNUC_UNUSED static const char * const categories[] = {
  "Electronics", "Books", "Home & Garden", "Fashion", "Toys", "Sports", "Beauty", "Grocery",
  "Music", "Automotive",
};

G_GNUC_UNUSED static const char * const fixed_pages[] = {
  "/", "/home", "/search", "/cart", "/checkout", "/account", "/orders", "/deals", "/help",
  "/login", "/signup", "/wishlist", "/settings", "/about", "/contact",
};

G_GNUC_UNUSED static const char * const referrers[] = {
  NULL, "https://www.google.com/", "https://www.facebook.com/", "https://t.co/",
  "https://www.bing.com/", "https://www.instagram.com/", "https://news.ycombinator.com/",
  "https://mail.example.com/", "android-app://com.google.android.gm", "https://duckduckgo.com/",
};
G_GNUC_UNUSED static const double referrer_weights[] = { 40, 25, 10, 5, 4, 6, 2, 4, 2, 2 };

typedef struct
{
  const char *city;
  const char *country;
  double      lat;
  double      lon;
  double      weight;
} City;

G_GNUC_UNUSED static const City cities[] = {
  { NULL, NULL, 0, 0, 5 },
  { "New York", "United States", 40.7128, -74.0060, 8 },
  { "Los Angeles", "United States", 34.0522, -118.2437, 5 },
  { "Chicago", "United States", 41.8781, -87.6298, 4 },
  { "San Francisco", "United States", 37.7749, -122.4194, 3 },
  { "Newark", "United States", 40.7357, -74.1724, 1 },
  { "Toronto", "Canada", 43.6532, -79.3832, 3 },
  { "London", "United Kingdom", 51.5074, -0.1278, 7 },
  { "Berlin", "Germany", 52.5200, 13.4050, 5 },
  { "Paris", "France", 48.8566, 2.3522, 5 },
  { "Madrid", "Spain", 40.4168, -3.7038, 3 },
  { "Amsterdam", "Netherlands", 52.3676, 4.9041, 2 },
  { "Mumbai", "India", 19.0760, 72.8777, 8 },
  { "Bengaluru", "India", 12.9716, 77.5946, 6 },
  { "Delhi", "India", 28.7041, 77.1025, 6 },
  { "São Paulo", "Brazil", -23.5505, -46.6333, 5 },
  { "Mexico City", "Mexico", 19.4326, -99.1332, 4 },
  { "Tokyo", "Japan", 35.6762, 139.6503, 4 },
  { "Singapore", "Singapore", 1.3521, 103.8198, 3 },
  { "Jakarta", "Indonesia", -6.2088, 106.8456, 4 },
  { "Dubai", "United Arab Emirates", 25.2048, 55.2708, 2 },
  { "Lagos", "Nigeria", 6.5244, 3.3792, 3 },
  { "Sydney", "Australia", -33.8688, 151.2093, 2 },
};

G_GNUC_UNUSED static const char * const first_names[] = {
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
  "Mia", "Mateo", "Aarav", "Priya", "Chen", "Wei", "Yuki", "Hiroshi", "Fatima", "Omar",
  "Chloé", "Lukas", "Sofía", "Diego", "Amara", "Kwame", "Anna", "Jonas", "Léa", "Ravi",
};

G_GNUC_UNUSED static const char * const last_names[] = {
  "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Müller", "Schmidt", "Dubois", "Rossi", "Sharma", "Patel", "Singh", "Tanaka",
  "Suzuki", "Wang", "Li", "Silva", "Santos", "Okafor", "Mensah", "Kowalski", "O'Brien",
  "Nguyen", "Kim", "Haddad", "Jensen",
};

G_GNUC_UNUSED static const char * const app_versions[] = { "5.4.0", "5.3.2", "5.3.1", "5.2.0", "4.9.7" };
G_GNUC_UNUSED static const double app_version_weights[] = { 35, 30, 15, 12, 8 };

#define SEG_BENCH_N_PRODUCTS 2000
#define SEG_BENCH_N_BLOG 150
#define SEG_BENCH_N_PRODUCT_PAGES 150

