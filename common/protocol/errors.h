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
// The HTTP status that the long-polling door answers for this code.
int httpStatus(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

} // namespace natter::protocol
