#include "server/net/httpreply.h"

#include "common/protocol/events.h"

#include <QHttpServerResponder>

namespace natter::server::http {

using namespace Qt::StringLiterals;

void writeJson(QHttpServerResponder &responder, const QByteArray &body, int status)
{
    static const QByteArray keepAlive = "timeout=" + QByteArray::number(kKeepAliveIdleSeconds);
    responder.write(body,
                    {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}, {"Keep-Alive", keepAlive}},
                    QHttpServerResponder::StatusCode(status));
}

void writeJson(QHttpServerResponder &responder, const QJsonObject &body, int status)
{
    writeJson(responder, protocol::encode(body), status);
}

void writeError(QHttpServerResponder &responder, protocol::ErrorCode code, const QString &message)
{
    writeJson(responder, protocol::events::error({code, message}), protocol::httpStatus(code));
}

void writeErrorEnvelope(QHttpServerResponder &responder, const QJsonObject &error)
{
    const auto code = protocol::errorCodeFromName(error.value("code"_L1).toString());
    writeJson(responder, error, protocol::httpStatus(code.value_or(protocol::ErrorCode::Internal)));
}

} // namespace natter::server::http
