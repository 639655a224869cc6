/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QUORUM_API_ERROR (quorum_api_error_quark ())

/*
 * Errors of the API layer. The contract's `code` strings (api-v1.md) map to
 * one value each; the server's `detail` is the GError message. Transport
 * failures get their own values so the UI can say what went wrong.
 * Cancellation is reported as G_IO_ERROR_CANCELLED, as everywhere in GIO.
 */
typedef enum
{
  QUORUM_API_ERROR_FAILED,                /* an error code this client does not know */
  QUORUM_API_ERROR_NETWORK,               /* could not connect, connection dropped */
  QUORUM_API_ERROR_TIMEOUT,
  QUORUM_API_ERROR_TLS,                   /* certificate or handshake problem; never ignored */
  QUORUM_API_ERROR_INVALID_RESPONSE,      /* the server answered something that is not the contract */
  QUORUM_API_ERROR_UNAUTHENTICATED,       /* 401: sign in again */
  QUORUM_API_ERROR_RATE_LIMITED,          /* 429: see quorum_api_error_get_retry_after() */
  QUORUM_API_ERROR_SERVER,                /* 5xx */
  QUORUM_API_ERROR_BAD_REQUEST,           /* 400 */
  QUORUM_API_ERROR_FORBIDDEN,             /* 403 forbidden */
  QUORUM_API_ERROR_NOT_FOUND,             /* 404 */
  QUORUM_API_ERROR_VALIDATION,            /* 422, see quorum_api_error_get_field_errors() */
  QUORUM_API_ERROR_PRECONDITION_FAILED,   /* 412: the object changed, reload it */
  QUORUM_API_ERROR_PAYLOAD_TOO_LARGE,     /* 413 */
  QUORUM_API_ERROR_CONFLICT,              /* a 409 without a code this client knows */
  QUORUM_API_ERROR_GONE,                  /* a 410 without a code this client knows */
  QUORUM_API_ERROR_INVALID_CREDENTIALS,
  QUORUM_API_ERROR_EMAIL_TAKEN,
  QUORUM_API_ERROR_SLUG_TAKEN,
  QUORUM_API_ERROR_MEMBER_SUSPENDED,
  QUORUM_API_ERROR_OWNER_CANNOT_LEAVE,
  QUORUM_API_ERROR_OWNER_IMMUTABLE,
  QUORUM_API_ERROR_CANNOT_MODIFY_SELF,
  QUORUM_API_ERROR_ALREADY_MEMBER,
  QUORUM_API_ERROR_ALREADY_INVITED,
  QUORUM_API_ERROR_SEAT_LIMIT_REACHED,
  QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED,
  QUORUM_API_ERROR_INVITATION_NOT_FOUND,
  QUORUM_API_ERROR_INVITATION_EXPIRED,
  QUORUM_API_ERROR_INVITATION_REVOKED,
  QUORUM_API_ERROR_INVITATION_USED,
  QUORUM_API_ERROR_EMAIL_MISMATCH,
  QUORUM_API_ERROR_ACCOUNT_EXISTS,
  QUORUM_API_ERROR_IDEMPOTENCY_KEY_REUSED,
  QUORUM_API_ERROR_INSUFFICIENT_SCOPE,
  QUORUM_API_ERROR_ORGANIZATION_NOT_FOUND,
  QUORUM_API_ERROR_MEMBER_NOT_FOUND,
  QUORUM_API_ERROR_MEMBER_NOT_ACTIVE,
  QUORUM_API_ERROR_INVITATION_NOT_PENDING,
  QUORUM_API_ERROR_UNSUPPORTED_MEDIA_TYPE,  /* 415, e.g. a logo that is not PNG, JPEG or SVG */
  QUORUM_API_ERROR_INSECURE,              /* plain http to a host that is not this computer, not allowed */
  QUORUM_API_ERROR_REDIRECT,              /* the server answered 3xx: never followed */
  QUORUM_API_ERROR_EMAIL_UNVERIFIED,      /* 403: verify the address before seeing what was sent to it */
  QUORUM_API_ERROR_ALREADY_VERIFIED,      /* 409: nothing to resend */
  QUORUM_API_ERROR_TOKEN_NOT_FOUND,       /* 404: a verification or reset link unknown, used or replaced */
  QUORUM_API_ERROR_TOKEN_EXPIRED,         /* 410: a verification or reset link too old */
} QuorumApiError;

/* Longest server text (a problem's detail, a field message) shown as is. */
#define QUORUM_API_DISPLAY_MAX_CHARS 200

GQuark          quorum_api_error_quark            (void);

const char     *quorum_api_error_get_message      (QuorumApiError error);
const char     *quorum_api_error_get_plain_message (QuorumApiError error);

/* Extra data carried by every QUORUM_API_ERROR (0 / NULL when absent). */
guint           quorum_api_error_get_http_status  (const GError *error);
const char     *quorum_api_error_get_code_string  (const GError *error);
guint           quorum_api_error_get_retry_after  (const GError *error);
const char     *quorum_api_error_get_detail       (const GError *error);
/* For 422: the fields the server rejected, and its message for one of them. */
const char * const *quorum_api_error_get_fields        (const GError *error);
const char         *quorum_api_error_get_field_message (const GError *error,
                                                        const char   *field);

G_END_DECLS
