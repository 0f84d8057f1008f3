#include "common/protocol/errors.h"

namespace natter::protocol {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest: return QStringLiteral("bad_request");
    case ErrorCode::AuthRequired: return QStringLiteral("auth_required");
    case ErrorCode::AuthFailed: return QStringLiteral("auth_failed");
    case ErrorCode::UserExists: return QStringLiteral("user_exists");
    case ErrorCode::NotFound: return QStringLiteral("not_found");
    case ErrorCode::Forbidden: return QStringLiteral("forbidden");
    case ErrorCode::TooLarge: return QStringLiteral("too_large");
    case ErrorCode::RateLimited: return QStringLiteral("rate_limited");
    case ErrorCode::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (ErrorCode code : {ErrorCode::BadRequest, ErrorCode::AuthRequired, ErrorCode::AuthFailed, ErrorCode::UserExists,
                           ErrorCode::NotFound, ErrorCode::Forbidden, ErrorCode::TooLarge, ErrorCode::RateLimited,
                           ErrorCode::Internal}) {
        if (errorCodeName(code) == name)
            return code;
    }
    return std::nullopt;
}

bool isPermanent(ErrorCode code)
{
    return code == ErrorCode::BadRequest || code == ErrorCode::NotFound || code == ErrorCode::Forbidden
        || code == ErrorCode::TooLarge;
}

int httpStatus(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest: return 400;
    case ErrorCode::AuthRequired:
    case ErrorCode::AuthFailed: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::UserExists: return 409;
    case ErrorCode::TooLarge: return 413;
    case ErrorCode::RateLimited: return 429;
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

} // namespace natter::protocol
