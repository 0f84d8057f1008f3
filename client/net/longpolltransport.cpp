#include "client/net/longpolltransport.h"

#include "client/clientlogging.h"
#include "common/protocol/events.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace natter::client {

using namespace Qt::StringLiterals;

LongPollTransport::LongPollTransport(LongPollConfig config, QObject *parent)
    : Transport(parent), m_config(config), m_nam(new QNetworkAccessManager(this))
{
}

LongPollTransport::~LongPollTransport()
{
    close();
}

void LongPollTransport::open(const QUrl &server)
{
    close();
    m_server = server;
    m_open = true;
    // HTTP has no connection to wait for: ready on the next loop pass.
    QMetaObject::invokeMethod(this, [this] { if (m_open) emit opened(); }, Qt::QueuedConnection);
}

void LongPollTransport::close()
{
    m_open = false;
    m_token.clear();
    m_outgoing.clear();
    m_pendingAcks.clear();
    for (QPointer<QNetworkReply> *r : {&m_sendReply, &m_pollReply}) {
        if (*r) {
            (*r)->disconnect(this);
            (*r)->abort();
            (*r)->deleteLater();
        }
        r->clear();
    }
}

QNetworkReply *LongPollTransport::post(const QString &path, const QByteArray &body, int timeoutMs)
{
    QUrl url = m_server;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setTransferTimeout(timeoutMs);
    return m_nam->post(request, body);
}

bool LongPollTransport::readReply(QNetworkReply *reply, QJsonObject *body, int *status)
{
    reply->deleteLater();
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    if (*status == 0) {
        fail(reply->errorString());
        return false;
    }
    emit heard(); // any HTTP answer comes from the server (or a proxy that reached it)
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isObject()) {
        fail(u"HTTP %1 without a JSON body from %2 (a proxy in the way?)"_s.arg(*status).arg(reply->url().path()));
        return false;
    }
    *body = doc.object();
    return true;
}

void LongPollTransport::send(const protocol::Request &request)
{
    if (!m_open)
        return;
    if (request.isAuthentication()) {
        authenticate(request);
        return;
    }
    if (const auto *ack = std::get_if<protocol::AckRequest>(&request.body)) {
        m_pendingAcks.append(ack->ids);
        scheduleAckPoll();
        return;
    }
    m_outgoing.append(request);
    if (m_outgoing.size() == 1 && !m_sendReply)
        QMetaObject::invokeMethod(this, &LongPollTransport::flushSends, Qt::QueuedConnection);
}

void LongPollTransport::authenticate(const protocol::Request &request)
{
    m_token.clear();
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = post(u"/api/v1/session"_s, protocol::encode(request.toJson()), m_config.requestTimeoutMs);
    connect(reply, &QNetworkReply::finished, this, [this, reply, clock] {
        QJsonObject body;
        int status = 0;
        if (!m_open || !readReply(reply, &body, &status))
            return;
        m_rtt = int(clock.elapsed());
        const protocol::ParsedServerEvent parsed = protocol::parseServerEvent(body);
        const auto *welcome = parsed.ok() ? std::get_if<protocol::WelcomeEvent>(&parsed.event().body) : nullptr;
        if (status == 200 && welcome) {
            m_token = welcome->token.toUtf8();
            emit received(parsed.event());
            poll();
            return;
        }
        if (status >= 500 || !parsed.ok() || !std::holds_alternative<protocol::ErrorEvent>(parsed.event().body)) {
            fail(u"the server answered HTTP %1 to /api/v1/session"_s.arg(status));
            return;
        }
        emit received(parsed.event()); // auth_failed, user_exists, bad_request: the connection decides
    });
}

void LongPollTransport::flushSends()
{
    if (!m_open || m_sendReply || m_outgoing.isEmpty() || m_token.isEmpty())
        return;
    QJsonArray batch;
    for (const protocol::Request &r : std::as_const(m_outgoing))
        batch.append(r.toJson());
    m_outgoing.clear();
    m_sendReply = post(u"/api/v1/send"_s, QJsonDocument(batch).toJson(QJsonDocument::Compact),
                       m_config.requestTimeoutMs);
    QNetworkReply *reply = m_sendReply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        m_sendReply.clear();
        if (receiveList(reply, "replies"_L1))
            flushSends();
    });
}

void LongPollTransport::scheduleAckPoll()
{
    if (m_ackPollScheduled || m_token.isEmpty())
        return;
    m_ackPollScheduled = true;
    QTimer::singleShot(m_config.ackDelayMs, this, [this] {
        m_ackPollScheduled = false;
        if (m_open && !m_pendingAcks.isEmpty() && !m_token.isEmpty())
            poll(); // supersedes a held poll: the server answers the older one with no events
    });
}

void LongPollTransport::poll()
{
    if (!m_open || m_token.isEmpty())
        return;
    if (m_pollReply) {
        // Superseded: the server answers it at once with no events; its answer is ignored.
        QNetworkReply *old = m_pollReply;
        old->disconnect(this);
        connect(old, &QNetworkReply::finished, old, &QObject::deleteLater);
    }
    QJsonObject body{{"timeout"_L1, m_config.pollTimeoutS}};
    if (!m_pendingAcks.isEmpty()) {
        QJsonArray ids;
        for (qint64 id : std::as_const(m_pendingAcks))
            ids.append(id);
        body.insert("ack"_L1, ids);
        m_pendingAcks.clear();
    }
    m_pollReply = post(u"/api/v1/poll"_s, protocol::encode(body), m_config.pollTimeoutS * 1000 + m_config.requestTimeoutMs);
    QNetworkReply *reply = m_pollReply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        if (m_pollReply == reply)
            m_pollReply.clear();
        if (receiveList(reply, "events"_L1) && !m_pollReply)
            QMetaObject::invokeMethod(this, &LongPollTransport::poll, Qt::QueuedConnection);
    });
}

bool LongPollTransport::receiveList(QNetworkReply *reply, QLatin1StringView key)
{
    QJsonObject body;
    int status = 0;
    if (!m_open || !readReply(reply, &body, &status))
        return false;
    if (status == 401) {
        m_token.clear();
        receive(protocol::parseServerEvent(body)); // auth_required: the token was revoked
        return false;
    }
    if (status != 200) {
        fail(u"the server answered HTTP %1 to %2"_s.arg(status).arg(reply->url().path()));
        return false;
    }
    const QJsonValue list = body.value(key);
    if (!list.isArray()) {
        fail(u"the answer to %1 has no '%2' list"_s.arg(reply->url().path(), key));
        return false;
    }
    const protocol::Error notAnObject{protocol::ErrorCode::BadRequest, u"an envelope must be a JSON object"_s};
    for (const QJsonValue &e : list.toArray())
        receive(e.isObject() ? protocol::parseServerEvent(e.toObject()) : protocol::ParsedServerEvent{{}, false, notAnObject});
    return m_open;
}


} // namespace natter::client
