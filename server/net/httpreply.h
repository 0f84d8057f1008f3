#pragma once

#include "common/protocol/errors.h"

#include <QByteArray>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>

class QHttpServerResponder;

namespace natter::server::http {

// Idle keep-alive connections are closed after this long (announced in the Keep-Alive header).
inline constexpr int kKeepAliveIdleSeconds = 75;

// Writes a JSON response with the headers every Natter HTTP answer carries.
void writeJson(QHttpServerResponder &responder, const QByteArray &body, int status = 200);
void writeJson(QHttpServerResponder &responder, const QJsonObject &body, int status = 200);
void writeError(QHttpServerResponder &responder, protocol::ErrorCode code, const QString &message);
// An error envelope, with the status its code maps to.
void writeErrorEnvelope(QHttpServerResponder &responder, const QJsonObject &error);

} // namespace natter::server::http
