#include "tests/server/lpclient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QTest>
#include <QUuid>

#include <algorithm>

namespace natter::test {

using namespace Qt::StringLiterals;

namespace {

QByteArray compactJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray compactJson(const QJsonArray &a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

QString shortText(const QByteArray &bytes, qsizetype maxChars = 300)
{
    QString text = QString::fromUtf8(bytes);
    if (text.size() > maxChars)
        text = text.left(maxChars) + u"…"_s;
    return text;
}

bool matches(const QJsonObject &o, const QString &type, const LpClient::Predicate &pred)
{
    return (type.isEmpty() || o.value("type"_L1).toString() == type) && (!pred || pred(o));
}

} // namespace

// ---------------------------------------------------------------------------------------------------------
// LpResponse

QJsonObject LpResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QJsonArray LpResponse::replies() const
{
    return json().value("replies"_L1).toArray();
}

QJsonArray LpResponse::events() const
{
    return json().value("events"_L1).toArray();
}

bool LpResponse::isJsonObject() const
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    return err.error == QJsonParseError::NoError && doc.isObject();
}

QString LpResponse::describe() const
{
    if (status == 0)
        return u"no HTTP response (%1: %2) after %3 ms"_s.arg(int(networkError)).arg(errorString).arg(elapsedMs);
    return u"HTTP %1 %2"_s.arg(status).arg(shortText(body));
}

// ---------------------------------------------------------------------------------------------------------
// LpCall

LpCall::LpCall(QNetworkReply *reply, QObject *parent) : QObject(parent), m_reply(reply)
{
    m_timer.start();
    connect(reply, &QNetworkReply::finished, this, &LpCall::onFinished);
}

LpCall::~LpCall()
{
    if (m_reply) {
        m_reply->disconnect(this);
        if (!m_finished)
            m_reply->abort();
        m_reply->deleteLater();
    }
}

bool LpCall::waitForFinished(int timeoutMs)
{
    return m_finished || QTest::qWaitFor([this] { return m_finished; }, timeoutMs);
}

qint64 LpCall::elapsedMs() const
{
    return m_finished ? m_response.elapsedMs : m_timer.elapsed();
}

void LpCall::abort()
{
    if (m_reply && !m_finished)
        m_reply->abort(); // emits finished (OperationCanceledError)
}

void LpCall::onFinished()
{
    if (m_finished || !m_reply)
        return;
    m_finished = true;
    m_response.elapsedMs = m_timer.elapsed();
    m_response.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_reply->isOpen())
        m_response.body = m_reply->readAll();
    m_response.contentType = m_reply->rawHeader("Content-Type");
    m_response.networkError = m_reply->error();
    m_response.errorString = m_reply->errorString();
    emit finished();
}

// ---------------------------------------------------------------------------------------------------------
// LpClient

LpClient::LpClient(QUrl base, QString name, QObject *parent, QNetworkAccessManager *shared)
    : QObject(parent), m_base(std::move(base)), m_name(std::move(name)), m_nam(shared)
{
    if (!m_nam) {
        m_ownNam = std::make_unique<QNetworkAccessManager>();
        m_nam = m_ownNam.get();
    }
    m_nam->setProxy(QNetworkProxy::NoProxy);
    m_nam->setAutoDeleteReplies(false);
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

LpClient::~LpClient() = default;

QUrl LpClient::url(QStringView path) const
{
    QUrl u = m_base;
    u.setPath(path.toString());
    return u;
}

std::unique_ptr<LpCall> LpClient::start(const QByteArray &verb, QStringView path, const QByteArray &body)
{
    QNetworkRequest request(url(path));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!m_rawAuthorization.isNull())
        request.setRawHeader("Authorization", m_rawAuthorization);
    else if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    QNetworkReply *reply = nullptr;
    if (verb == "POST") {
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        reply = m_nam->post(request, body);
    } else if (verb == "GET" && body.isEmpty()) {
        reply = m_nam->get(request);
    } else {
        reply = m_nam->sendCustomRequest(request, verb, body);
    }
    return std::make_unique<LpCall>(reply);
}

LpResponse LpClient::call(const QByteArray &verb, QStringView path, const QByteArray &body, int timeoutMs)
{
    const std::unique_ptr<LpCall> c = start(verb, path, body);
    if (!c->waitForFinished(timeoutMs)) {
        qWarning().noquote() << m_name << verb << path << "got no response within" << timeoutMs << "ms";
        LpResponse timedOut;
        timedOut.networkError = QNetworkReply::TimeoutError;
        timedOut.errorString = u"test client timeout"_s;
        timedOut.elapsedMs = c->elapsedMs();
        return timedOut;
    }
    return c->response();
}

LpResponse LpClient::session(const QJsonObject &envelope)
{
    m_last = post(kSessionPath, compactJson(envelope));
    const QJsonObject reply = m_last.json();
    if (m_last.status == 200 && reply.value("type"_L1) == "welcome"_L1) {
        m_token = reply.value("token"_L1).toString();
        m_user = reply.value("user"_L1).toString();
        m_device = reply.value("device"_L1).toString();
    }
    return m_last;
}

QString LpClient::authenticate(QJsonObject envelope)
{
    envelope.insert("rid"_L1, nextRid());
    const LpResponse r = session(envelope);
    const QJsonObject reply = r.json();
    if (r.status != 200 || reply.value("type"_L1) != "welcome"_L1)
        return {};
    return reply.value("token"_L1).toString();
}

QString LpClient::registerUser(const QString &user, const QString &device, const QString &password)
{
    return authenticate({{"type"_L1, u"register"_s},
                         {"user"_L1, user},
                         {"password"_L1, password.isEmpty() ? defaultPassword(user) : password},
                         {"device"_L1, device}});
}

QString LpClient::login(const QString &user, const QString &device, const QString &password)
{
    return authenticate({{"type"_L1, u"login"_s},
                         {"user"_L1, user},
                         {"password"_L1, password.isEmpty() ? defaultPassword(user) : password},
                         {"device"_L1, device}});
}

QString LpClient::resume(const QString &token, const QString &device)
{
    return authenticate({{"type"_L1, u"resume"_s}, {"token"_L1, token}, {"device"_L1, device}});
}

LpResponse LpClient::send(const QJsonObject &envelope)
{
    return sendRaw(compactJson(envelope));
}

LpResponse LpClient::send(const QJsonArray &envelopes)
{
    return sendRaw(compactJson(envelopes));
}

LpResponse LpClient::sendRaw(const QByteArray &body)
{
    m_last = post(kSendPath, body);
    return m_last;
}

QJsonObject LpClient::request(QJsonObject envelope)
{
    if (!envelope.contains("rid"_L1))
        envelope.insert("rid"_L1, nextRid());
    const QJsonValue rid = envelope.value("rid"_L1);
    const LpResponse r = send(envelope);
    const QJsonArray replies = r.replies();
    for (const QJsonValue &v : replies) {
        if (v.toObject().value("rid"_L1) == rid)
            return v.toObject();
    }
    qWarning().noquote() << m_name << "no reply with rid" << rid.toString() << "in" << r.describe();
    return {};
}

qint64 LpClient::sendMessage(const QString &to, const QString &body, const QString &cid)
{
    const QJsonObject reply =
        request({{"type"_L1, u"send"_s},
                 {"to"_L1, to},
                 {"body"_L1, body},
                 {"cid"_L1, cid.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : cid}});
    return reply.value("type"_L1) == "sent"_L1 ? reply.value("id"_L1).toInteger() : 0;
}

bool LpClient::ack(const QList<qint64> &ids)
{
    QJsonArray a;
    for (qint64 id : ids)
        a.append(id);
    const LpResponse r = send(QJsonObject{{"type"_L1, u"ack"_s}, {"ids"_L1, a}});
    if (r.status != 200 || !r.json().value("replies"_L1).isArray() || !r.replies().isEmpty()) {
        qWarning().noquote() << m_name << "ack answered" << r.describe();
        return false;
    }
    return true;
}

std::unique_ptr<LpCall> LpClient::poll(const QList<qint64> &acks, int timeoutS)
{
    QJsonObject body;
    if (!acks.isEmpty()) {
        QJsonArray a;
        for (qint64 id : acks)
            a.append(id);
        body.insert("ack"_L1, a);
    }
    if (timeoutS != kNoTimeoutField)
        body.insert("timeout"_L1, timeoutS);
    return start("POST", kPollPath, compactJson(body));
}

LpResponse LpClient::pollNow(const QList<qint64> &acks, int timeoutS, int waitMs)
{
    const std::unique_ptr<LpCall> c = poll(acks, timeoutS);
    if (!c->waitForFinished(waitMs)) {
        qWarning().noquote() << m_name << "poll got no response within" << waitMs << "ms";
        LpResponse timedOut;
        timedOut.networkError = QNetworkReply::TimeoutError;
        timedOut.errorString = u"test client timeout"_s;
        timedOut.elapsedMs = c->elapsedMs();
        return timedOut;
    }
    m_last = c->response();
    return m_last;
}

void LpClient::absorb(const QJsonArray &events)
{
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        if (e.value("type"_L1) == "message"_L1) {
            const qint64 id = e.value("id"_L1).toInteger();
            if (m_seenMessages.contains(id))
                continue; // delivered again until acked: kept once
            m_seenMessages.insert(id);
            if (m_autoAck)
                m_toAck.append(id);
        }
        m_inbox.append(e);
    }
}

QJsonObject LpClient::takeEvent(const QString &type, const Predicate &pred, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        const auto it = std::find_if(m_inbox.cbegin(), m_inbox.cend(),
                                     [&](const QJsonObject &o) { return matches(o, type, pred); });
        if (it != m_inbox.cend())
            return m_inbox.takeAt(it - m_inbox.cbegin());
        const qint64 remaining = timeoutMs - timer.elapsed();
        if (remaining <= 0)
            break;
        const int timeoutS = int(std::clamp<qint64>(remaining / 1000, 1, 5));
        const LpResponse r = pollNow(std::exchange(m_toAck, {}), timeoutS, timeoutS * 1000 + 5'000);
        if (r.status != 200) {
            qWarning().noquote() << m_name << "poll failed:" << r.describe();
            break;
        }
        const qsizetype before = m_inbox.size();
        absorb(r.events());
        if (m_inbox.size() == before && r.elapsedMs < 100)
            QTest::qWait(25); // only messages seen before, waiting for an ack: do not spin
    }
    if (timeoutMs <= 0)
        return {}; // only looked into the inbox
    qWarning().noquote() << m_name << "waited" << timeoutMs << "ms in vain for a" << (type.isEmpty() ? u"*"_s : type)
                         << "event; inbox:\n"
                         << dump();
    return {};
}

QList<QJsonObject> LpClient::unexpected(const QStringList &types, int graceMs)
{
    QTest::qWait(graceMs);
    const LpResponse r = pollNow(std::exchange(m_toAck, {}), 0);
    if (r.status != 200)
        return {QJsonObject{{"type"_L1, u"(poll failed: %1)"_s.arg(r.describe())}}};
    absorb(r.events());
    QList<QJsonObject> out;
    for (const QJsonObject &o : std::as_const(m_inbox)) {
        if (types.isEmpty() || types.contains(o.value("type"_L1).toString()))
            out.append(o);
    }
    if (!out.isEmpty())
        qWarning().noquote() << m_name << "received what it should not have:\n" << dump();
    return out;
}

QString LpClient::nextRid()
{
    return u"%1-r%2"_s.arg(m_name.isEmpty() ? u"lp"_s : m_name).arg(++m_ridCounter);
}

QString LpClient::dump() const
{
    QStringList lines;
    for (const QJsonObject &o : m_inbox)
        lines.append(u"  "_s + shortText(compactJson(o)));
    if (lines.isEmpty())
        lines.append(u"  (empty)"_s);
    return lines.join(u'\n');
}

QString LpClient::defaultPassword(const QString &user)
{
    return u"pw-"_s + user;
}

} // namespace natter::test
