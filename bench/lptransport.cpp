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

void LongPollTransport::send(const protocol::Request &request)
{
    if (!isOpen())
        return;
    if (request.isAuthentication()) {
        authenticate(request);
    } else if (const auto *ack = std::get_if<protocol::AckRequest>(&request.body)) {
        for (const qint64 id : ack->ids) {
            m_pendingAcks.append(id);
            m_awaitingAck.remove(id);
        }
        updatePolling();
    } else {
        m_outgoing.append(request);
        scheduleFlush();
    }
}

void LongPollTransport::authenticate(const protocol::Request &request)
{
    if (m_sessionReply) {
        fail(u"a second authentication while the first is in flight"_s);
        return;
    }
    m_authorization.clear();
    ++s_counters.sessions;
    m_sessionReply = post(kSessionPath, protocol::encode(request.toJson()), kRequestTimeoutMs);
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
    const protocol::ParsedServerEvent parsed = protocol::parseServerEvent(body);
    if (!parsed.ok()) {
        failAnswer(status, kSessionPath, body, parsed.error().message);
        return;
    }
    const protocol::ServerEvent &event = parsed.event();
    if (const auto *welcome = std::get_if<protocol::WelcomeEvent>(&event.body); welcome && status == 200) {
        m_authorization = "Bearer "_ba + welcome->token.toLatin1(); // never empty: the codec checks
        emit eventReceived(event);
        updatePolling();
        scheduleFlush();
        return;
    }
    if (std::holds_alternative<protocol::ErrorEvent>(event.body) && status >= 400 && status < 500) {
        emit eventReceived(event); // auth_failed, user_exists, bad_request
        return;
    }
    failAnswer(status, kSessionPath, body);
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
        body += protocol::encode(m_outgoing.at(i).toJson());
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
    const std::optional<QList<protocol::ServerEvent>> replies = readEventList(reply, "replies"_L1);
    if (!replies)
        return;
    for (const protocol::ServerEvent &event : *replies) {
        emit eventReceived(event);
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
    const std::optional<QList<protocol::ServerEvent>> events = readEventList(reply, "events"_L1);
    if (!events)
        return;
    m_delivering = true;
    for (const protocol::ServerEvent &event : *events) {
        if (const auto *message = std::get_if<protocol::ChatMessage>(&event.body)) {
            if (m_awaitingAck.contains(message->id) || m_ackedOnPoll.contains(message->id)) {
                ++s_counters.redelivered; // handed back because its ack had not been applied yet
                continue;
            }
            m_awaitingAck.insert(message->id);
        }
        ++s_counters.events;
        emit eventReceived(event);
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

std::optional<QList<protocol::ServerEvent>> LongPollTransport::readEventList(QNetworkReply *reply,
                                                                             QLatin1StringView key)
{
    const QString path = reply->url().path();
    QJsonObject body;
    int status = 0;
    if (!readReply(reply, &body, &status))
        return std::nullopt;
    if (status == 401) {
        const protocol::ParsedServerEvent parsed = protocol::parseServerEvent(body);
        if (parsed.ok() && std::holds_alternative<protocol::ErrorEvent>(parsed.event().body)) {
            emit eventReceived(parsed.event()); // auth_required
            return std::nullopt;
        }
    }
    const QJsonValue list = body.value(key);
    if (status != 200 || !list.isArray()) {
        failAnswer(status, path, body);
        return std::nullopt;
    }
    const QJsonArray envelopes = list.toArray();
    QList<protocol::ServerEvent> events;
    events.reserve(envelopes.size());
    for (const QJsonValue e : envelopes) {
        if (!e.isObject()) {
            fail(u"an element of '%1' from %2 that is not a JSON object"_s.arg(key, path));
            return std::nullopt;
        }
        protocol::ParsedServerEvent parsed = protocol::parseServerEvent(e.toObject());
        if (!parsed.ok()) {
            fail(u"an envelope in '%1' from %2 that breaks the contract (%3): %4"_s.arg(
                key, path, parsed.error().message, QString::fromUtf8(protocol::encode(e.toObject())).left(200)));
            return std::nullopt;
        }
        events.append(std::get<protocol::ServerEvent>(std::move(parsed.value)));
    }
    return events;
}

void LongPollTransport::failAnswer(int status, const QString &path, const QJsonObject &body, const QString &why)
{
    const QString text = QString::fromUtf8(protocol::encode(body)).left(200);
    if (why.isEmpty())
        fail(u"HTTP %1 to %2: %3"_s.arg(status).arg(path, text));
    else
        fail(u"HTTP %1 to %2 breaks the contract (%3): %4"_s.arg(status).arg(path, why, text));
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
