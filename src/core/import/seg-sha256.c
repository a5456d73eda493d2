/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-sha256"

#include "config.h"

#include <string.h>

#include "seg-sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const guint32 k256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#ifdef HAVE_SHA_NI
/* The SHA extensions' round and message schedule instructions, four rounds at a time. */
__attribute__((target ("sha,sse4.1,ssse3")))
static void
sha256_blocks_ni (guint32      state[8],
                  const guint8 *data,
                  gsize         n_blocks)
{
  const __m128i mask = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i state0, state1, tmp, msg, m[4], abef_save, cdgh_save;

  tmp = _mm_loadu_si128 ((const __m128i *) &state[0]);
  state1 = _mm_loadu_si128 ((const __m128i *) &state[4]);
  tmp = _mm_shuffle_epi32 (tmp, 0xB1);            /* CDAB */
  state1 = _mm_shuffle_epi32 (state1, 0x1B);      /* EFGH */
  state0 = _mm_alignr_epi8 (tmp, state1, 8);      /* ABEF */
  state1 = _mm_blend_epi16 (state1, tmp, 0xF0);   /* CDGH */

  while (n_blocks--)
    {
      abef_save = state0;
      cdgh_save = state1;

      for (guint g = 0; g < 16; g++)
        {
          if (g < 4)
            m[g] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 16 * g)), mask);
          else
            {
              /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time. */
              __m128i x = _mm_sha256msg1_epu32 (m[g % 4], m[(g + 1) % 4]);
              x = _mm_add_epi32 (x, _mm_alignr_epi8 (m[(g + 3) % 4], m[(g + 2) % 4], 4));
              m[g % 4] = _mm_sha256msg2_epu32 (x, m[(g + 3) % 4]);
            }
          msg = _mm_add_epi32 (m[g % 4], _mm_loadu_si128 ((const __m128i *) &k256[4 * g]));
          state1 = _mm_sha256rnds2_epu32 (state1, state0, msg);
          msg = _mm_shuffle_epi32 (msg, 0x0E);
          state0 = _mm_sha256rnds2_epu32 (state0, state1, msg);
        }

      state0 = _mm_add_epi32 (state0, abef_save);
      state1 = _mm_add_epi32 (state1, cdgh_save);
      data += 64;
    }

  tmp = _mm_shuffle_epi32 (state0, 0x1B);         /* FEBA */
  state1 = _mm_shuffle_epi32 (state1, 0xB1);      /* DCHG */
  state0 = _mm_blend_epi16 (tmp, state1, 0xF0);   /* DCBA */
  state1 = _mm_alignr_epi8 (state1, tmp, 8);      /* ABEF */
  _mm_storeu_si128 ((__m128i *) &state[0], state0);
  _mm_storeu_si128 ((__m128i *) &state[4], state1);
}
#endif

gboolean
seg_sha256_accelerated (void)
{
#ifdef HAVE_SHA_NI
  static int supported = -1;

  if (supported < 0)
    {
      unsigned int a, b, c, d;
      gboolean sse = FALSE, sha = FALSE;

      /* CPUID 1: ECX bit 9 SSSE3, bit 19 SSE4.1; CPUID 7.0: EBX bit 29 SHA. */
      if (__get_cpuid (1, &a, &b, &c, &d))
        sse = (c & (1u << 9)) && (c & (1u << 19));
      if (__get_cpuid_count (7, 0, &a, &b, &c, &d))
        sha = (b & (1u << 29)) != 0;
      supported = sse && sha;
    }
  return supported;
#else
  return FALSE;
#endif
}

void
seg_sha256_init (SegSha256 *sha)
{
  static const guint32 iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };

  memset (sha, 0, sizeof *sha);
  memcpy (sha->state, iv, sizeof iv);
  if (!seg_sha256_accelerated ())
    sha->fallback = g_checksum_new (G_CHECKSUM_SHA256);
}

void
seg_sha256_clear (SegSha256 *sha)
{
  g_clear_pointer (&sha->fallback, g_checksum_free);
}

void
seg_sha256_update (SegSha256    *sha,
                   const guint8 *data,
                   gsize         len)
{
  if (sha->fallback != NULL)
    {
      g_checksum_update (sha->fallback, data, len);
      return;
    }
#ifdef HAVE_SHA_NI
  sha->total += len;
  if (sha->buf_len > 0)
    {
      gsize take = MIN (len, 64 - sha->buf_len);

      memcpy (sha->buf + sha->buf_len, data, take);
      sha->buf_len += take;
      data += take;
      len -= take;
      if (sha->buf_len < 64)
        return;
      sha256_blocks_ni (sha->state, sha->buf, 1);
      sha->buf_len = 0;
    }
  if (len >= 64)
    {
      sha256_blocks_ni (sha->state, data, len / 64);
      data += len & ~(gsize) 63;
      len &= 63;
    }
  memcpy (sha->buf, data, len);
  sha->buf_len = len;
#endif
}

char *
seg_sha256_finish (SegSha256 *sha)
{
  char *hex;

  if (sha->fallback != NULL)
    {
      hex = g_strdup (g_checksum_get_string (sha->fallback));
      seg_sha256_clear (sha);
      return hex;
    }
#ifdef HAVE_SHA_NI
  {
    guint64 bits = sha->total * 8;
    guint8 pad[128] = { 0x80 };
    gsize pad_len = (sha->buf_len < 56 ? 56 : 120) - sha->buf_len;

    for (guint i = 0; i < 8; i++)
      pad[pad_len + i] = (guint8) (bits >> (56 - 8 * i));
    seg_sha256_update (sha, pad, pad_len + 8);
    g_assert (sha->buf_len == 0);
  }
#endif
  hex = g_malloc (65);
  for (guint i = 0; i < 8; i++)
    g_snprintf (hex + 8 * i, 9, "%08x", sha->state[i]);
  seg_sha256_clear (sha);
  return hex;
}
