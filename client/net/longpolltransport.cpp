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

void LongPollTransport::send(const QJsonObject &envelope)
{
    if (!m_open)
        return;
    const QString type = envelope.value("type"_L1).toString();
    if (type == "register"_L1 || type == "login"_L1 || type == "resume"_L1) {
        authenticate(envelope);
        return;
    }
    if (type == "ack"_L1) {
        for (const QJsonValue &id : envelope.value("ids"_L1).toArray())
            m_pendingAcks.append(id.toInteger());
        scheduleAckPoll();
        return;
    }
    m_outgoing.append(envelope);
    if (m_outgoing.size() == 1 && !m_sendReply)
        QMetaObject::invokeMethod(this, &LongPollTransport::flushSends, Qt::QueuedConnection);
}

void LongPollTransport::authenticate(const QJsonObject &envelope)
{
    m_token.clear();
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = post(u"/api/v1/session"_s, protocol::encode(envelope), m_config.requestTimeoutMs);
    connect(reply, &QNetworkReply::finished, this, [this, reply, clock] {
        QJsonObject body;
        int status = 0;
        if (!m_open || !readReply(reply, &body, &status))
            return;
        m_rtt = int(clock.elapsed());
        if (status == 200 && body.value("type"_L1) == "welcome"_L1) {
            m_token = body.value("token"_L1).toString().toUtf8();
            emit received(body);
            poll();
            return;
        }
        if (status >= 500 || body.value("type"_L1) != "error"_L1) {
            fail(u"the server answered HTTP %1 to /api/v1/session"_s.arg(status));
            return;
        }
        emit received(body); // auth_failed, user_exists, bad_request: the connection decides
    });
}

void LongPollTransport::flushSends()
{
    if (!m_open || m_sendReply || m_outgoing.isEmpty() || m_token.isEmpty())
        return;
    QJsonArray batch;
    for (const QJsonObject &e : std::as_const(m_outgoing))
        batch.append(e);
    m_outgoing.clear();
    m_sendReply = post(u"/api/v1/send"_s, QJsonDocument(batch).toJson(QJsonDocument::Compact),
                       m_config.requestTimeoutMs);
    QNetworkReply *reply = m_sendReply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        m_sendReply.clear();
        QJsonObject body;
        int status = 0;
        if (!m_open || !readReply(reply, &body, &status))
            return;
        if (status == 401) {
            emit received(body); // auth_required: the token was revoked
            return;
        }
        if (status != 200) {
            fail(u"the server answered HTTP %1 to /api/v1/send"_s.arg(status));
            return;
        }
        for (const QJsonValue &r : body.value("replies"_L1).toArray()) {
            if (r.isObject())
                emit received(r.toObject());
        }
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
        QJsonObject body;
        int status = 0;
        if (!m_open || !readReply(reply, &body, &status))
            return;
        if (status == 401) {
            m_token.clear();
            emit received(body);
            return;
        }
        if (status != 200) {
            fail(u"the server answered HTTP %1 to /api/v1/poll"_s.arg(status));
            return;
        }
        for (const QJsonValue &e : body.value("events"_L1).toArray()) {
            if (e.isObject())
                emit received(e.toObject());
        }
        if (!m_pollReply)
            QMetaObject::invokeMethod(this, &LongPollTransport::poll, Qt::QueuedConnection);
    });
}

void LongPollTransport::fail(const QString &reason)
{
    if (!m_open)
        return;
    qCInfo(lcClientNet) << "long polling failed:" << reason;
    close();
    emit failed(reason);
}

} // namespace natter::client
