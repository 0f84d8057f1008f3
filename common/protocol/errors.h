#pragma once

#include <QString>

#include <optional>

namespace natter::protocol {

// The error codes of the wire contract (docs/protocol.md, "Envelopes and errors").
enum class ErrorCode {
    BadRequest,
    AuthRequired,
    AuthFailed,
    UserExists,
    NotFound,
    Forbidden,
    TooLarge,
    RateLimited,
    Internal,
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(QStringView name);
// Whether the same request would fail the same way again (bad_request, not_found, forbidden, too_large):
// a client stops retrying it. The others depend on who asks, when, or on the server's health.
bool isPermanent(ErrorCode code);
// The HTTP status that the long-polling door answers for this code.
int httpStatus(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

} // namespace natter::protocol
