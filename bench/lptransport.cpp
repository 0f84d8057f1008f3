#include "bench/lptransport.h"

#include "bench/benchlog.h"
#include "common/protocol/events.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace natter::bench {

using namespace Qt::StringLiterals;

namespace {
constexpr int kPollTimeoutS = 25;
constexpr int kRequestTimeoutMs = 30'000; // /session and /send; a poll gets kPollTimeoutS on top
constexpr int kAckWaitMs = 200;
constexpr QLatin1StringView kSessionPath("/api/v1/session");
constexpr QLatin1StringView kSendPath("/api/v1/send");
constexpr QLatin1StringView kPollPath("/api/v1/poll");
} // namespace

LongPollTransport::Counters LongPollTransport::s_counters;

LongPollTransport::LongPollTransport(QUrl base, std::shared_ptr<QNetworkAccessManager> nam, QObject *parent)
    : Transport(parent), m_base(std::move(base)), m_nam(std::move(nam))
{
    m_ackWait.setSingleShot(true);
    m_ackWait.setInterval(kAckWaitMs);
    connect(&m_ackWait, &QTimer::timeout, this, [this] {
        qCDebug(lcBench) << "long polling: messages not acked within" << kAckWaitMs << "ms; polling anyway";
        if (m_open && !m_closing && (m_polls.isEmpty() || !m_pendingAcks.isEmpty()))
            poll();
    });
}

LongPollTransport::~LongPollTransport()
{
    abortAll();
}

QUrl LongPollTransport::baseUrl(const QUrl &url)
{
    QUrl base;
    const QString scheme = url.scheme();
    base.setScheme(scheme == "wss"_L1 || scheme == "https"_L1 ? u"https"_s : u"http"_s);
    base.setHost(url.host());
    base.setPort(url.port());
    return base;
}

std::shared_ptr<QNetworkAccessManager> LongPollTransport::sharedManager(int usersPerManager)
{
    static std::weak_ptr<QNetworkAccessManager> current;
    static int users = 0;
    auto nam = current.lock();
    if (!nam || users >= usersPerManager) {
        nam = std::make_shared<QNetworkAccessManager>();
        nam->setProxy(QNetworkProxy::NoProxy); // a load generator talks to the server directly
        current = nam;
        users = 0;
    }
    ++users;
    return nam;
}

void LongPollTransport::open()
{
    m_open = true;
    // HTTP has no connection to wait for: the first request opens one.
    QMetaObject::invokeMethod(
        this, [this] { if (m_open && !m_closing) emit opened(); }, Qt::QueuedConnection);
}

bool LongPollTransport::isOpen() const
{
    return m_open && !m_closing && !m_failed;
}

bool LongPollTransport::close()
{
    // Nothing to say goodbye to: held polls and requests in flight are dropped (the server forgets a
    // held poll whose connection closes). Acks not sent yet stay in the server's queue.
    m_closing = true;
    m_ackWait.stop();
    abortAll();
    return false;
}

QNetworkReply *LongPollTransport::post(QLatin1StringView path, const QByteArray &body, int timeoutMs)
{
    QUrl url = m_base;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    if (!m_authorization.isEmpty())
        request.setRawHeader("Authorization"_ba, m_authorization);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(timeoutMs);
    return m_nam->post(request, body);
}

void LongPollTransport::sendEnvelope(const QJsonObject &envelope)
{
    if (!isOpen())
        return;
    const QString type = envelope.value("type"_L1).toString();
    if (type == "register"_L1 || type == "login"_L1 || type == "resume"_L1) {
        authenticate(envelope);
    } else if (type == "ack"_L1) {
        for (const QJsonValue id : envelope.value("ids"_L1).toArray()) {
            m_pendingAcks.append(id.toInteger());
            m_awaitingAck.remove(id.toInteger());
        }
        updatePolling();
    } else {
        m_outgoing.append(envelope);
        scheduleFlush();
    }
}

void LongPollTransport::authenticate(const QJsonObject &envelope)
{
    if (m_sessionReply) {
        fail(u"a second authentication while the first is in flight"_s);
        return;
    }
    m_authorization.clear();
    ++s_counters.sessions;
    m_sessionReply = post(kSessionPath, protocol::encode(envelope), kRequestTimeoutMs);
    QNetworkReply *reply = m_sessionReply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onSessionFinished(reply); });
}

void LongPollTransport::onSessionFinished(QNetworkReply *reply)
{
    m_sessionReply = nullptr;
    QJsonObject body;
    int status = 0;
    if (!readReply(reply, &body, &status))
        return;
    const QString type = body.value("type"_L1).toString();
    if (status == 200 && type == "welcome"_L1) {
        const QString token = body.value("token"_L1).toString();
        if (!token.isEmpty())
            m_authorization = "Bearer "_ba + token.toLatin1();
        emitEnvelope(body); // BenchUser checks the token
        updatePolling();
        scheduleFlush();
        return;
    }
    if (type == "error"_L1 && status >= 400 && status < 500) {
        emitEnvelope(body); // auth_failed, user_exists, bad_request
        return;
    }
    fail(u"HTTP %1 to %2: %3"_s.arg(status).arg(kSessionPath, QString::fromUtf8(protocol::encode(body)).left(200)));
}

void LongPollTransport::scheduleFlush()
{
    if (m_flushScheduled || m_sendReply || m_outgoing.isEmpty() || m_authorization.isEmpty())
        return;
    m_flushScheduled = true;
    // On the next loop pass: everything queued in this one leaves in one request.
    QMetaObject::invokeMethod(this, &LongPollTransport::flushSends, Qt::QueuedConnection);
}

void LongPollTransport::flushSends()
{
    m_flushScheduled = false;
    if (!isOpen() || m_sendReply || m_outgoing.isEmpty() || m_authorization.isEmpty())
        return;
    QByteArray body;
    body.reserve(m_outgoing.size() * 160);
    body += '[';
    for (qsizetype i = 0; i < m_outgoing.size(); ++i) {
        if (i > 0)
            body += ',';
        body += protocol::encode(m_outgoing.at(i));
    }
    body += ']';
    ++s_counters.sends;
    s_counters.sentEnvelopes += m_outgoing.size();
    m_outgoing.clear();
    m_sendReply = post(kSendPath, body, kRequestTimeoutMs);
    QNetworkReply *reply = m_sendReply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onSendFinished(reply); });
}

void LongPollTransport::onSendFinished(QNetworkReply *reply)
{
    m_sendReply = nullptr;
    QJsonObject body;
    int status = 0;
    if (!readReply(reply, &body, &status))
        return;
    if (status == 401 && body.value("type"_L1) == "error"_L1) {
        emitEnvelope(body); // auth_required
        return;
    }
    const QJsonValue replies = body.value("replies"_L1);
    if (status != 200 || !replies.isArray()) {
        fail(u"HTTP %1 to %2: %3"_s.arg(status).arg(kSendPath, QString::fromUtf8(protocol::encode(body)).left(200)));
        return;
    }
    for (const QJsonValue r : replies.toArray()) {
        if (!r.isObject() || !r.toObject().value("type"_L1).isString()) {
            fail(u"a reply from %1 that is not an envelope"_s.arg(kSendPath));
            return;
        }
        emitEnvelope(r.toObject());
        if (!isOpen())
            return;
    }
    scheduleFlush();
}

void LongPollTransport::updatePolling()
{
    if (!isOpen() || m_authorization.isEmpty() || m_delivering)
        return;
    if (!m_awaitingAck.isEmpty()) {
        // A poll now would bring those messages straight back: wait for the user's acks.
        if (!m_ackWait.isActive())
            m_ackWait.start();
        return;
    }
    m_ackWait.stop();
    // No poll open, or acks waiting: a new poll (which supersedes a held one).
    if (m_polls.isEmpty() || !m_pendingAcks.isEmpty())
        poll();
}

void LongPollTransport::poll()
{
    QByteArray body = "{";
    if (!m_pendingAcks.isEmpty()) {
        body += "\"ack\":[";
        for (qsizetype i = 0; i < m_pendingAcks.size(); ++i) {
            if (i > 0)
                body += ',';
            body += QByteArray::number(m_pendingAcks.at(i));
            m_ackedOnPoll.insert(m_pendingAcks.at(i));
        }
        body += "],";
        m_pendingAcks.clear();
    }
    body += "\"timeout\":" + QByteArray::number(kPollTimeoutS) + '}';
    ++s_counters.polls;
    if (!m_polls.isEmpty())
        ++s_counters.supersedingPolls;
    QNetworkReply *reply = post(kPollPath, body, kPollTimeoutS * 1000 + kRequestTimeoutMs);
    m_polls.append(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPollFinished(reply); });
}

void LongPollTransport::onPollFinished(QNetworkReply *reply)
{
    m_polls.removeOne(reply);
    QJsonObject body;
    int status = 0;
    if (!readReply(reply, &body, &status))
        return;
    if (status == 401 && body.value("type"_L1) == "error"_L1) {
        emitEnvelope(body); // auth_required
        return;
    }
    const QJsonValue events = body.value("events"_L1);
    if (status != 200 || !events.isArray()) {
        fail(u"HTTP %1 to %2: %3"_s.arg(status).arg(kPollPath, QString::fromUtf8(protocol::encode(body)).left(200)));
        return;
    }
    m_delivering = true;
    for (const QJsonValue e : events.toArray()) {
        const QJsonObject event = e.toObject();
        if (!e.isObject() || !event.value("type"_L1).isString()) {
            m_delivering = false;
            fail(u"an event from %1 that is not an envelope"_s.arg(kPollPath));
            return;
        }
        if (event.value("type"_L1) == "message"_L1) {
            const qint64 id = event.value("id"_L1).toInteger();
            if (m_awaitingAck.contains(id) || m_ackedOnPoll.contains(id)) {
                ++s_counters.redelivered; // handed back because its ack had not been applied yet
                continue;
            }
            m_awaitingAck.insert(id);
        }
        ++s_counters.events;
        emitEnvelope(event);
        if (!isOpen()) {
            m_delivering = false;
            return;
        }
    }
    m_delivering = false;
    // With no poll left in flight, every ack sent has been applied and no answer is on its way: the
    // acked messages cannot come back.
    if (m_polls.isEmpty())
        m_ackedOnPoll.clear();
    updatePolling();
}

bool LongPollTransport::readReply(QNetworkReply *reply, QJsonObject *body, int *status)
{
    reply->deleteLater();
    if (!isOpen())
        return false;
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (*status == 0) {
        fail(u"%1: %2"_s.arg(reply->url().path(), reply->errorString()));
        return false;
    }
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(u"HTTP %1 from %2 without a JSON object body"_s.arg(*status).arg(reply->url().path()));
        return false;
    }
    *body = doc.object();
    return true;
}

void LongPollTransport::emitEnvelope(const QJsonObject &envelope)
{
    emit envelopeReceived(envelope);
}

void LongPollTransport::abortAll()
{
    QList<QNetworkReply *> replies = m_polls;
    replies << m_sendReply << m_sessionReply;
    m_polls.clear();
    m_sendReply = m_sessionReply = nullptr;
    for (QNetworkReply *r : std::as_const(replies)) {
        if (!r)
            continue;
        r->disconnect(this);
        // Deleted at once (none of these is emitting now): it aborts the request, and events that Qt's
        // HTTP thread has queued for the reply go with it.
        delete r;
    }
}

void LongPollTransport::fail(const QString &reason)
{
    if (m_failed || m_closing)
        return;
    m_failed = true;
    m_ackWait.stop();
    abortAll();
    qCDebug(lcBench) << "transport failed:" << reason;
    emit failed(reason);
}

} // namespace natter::bench
