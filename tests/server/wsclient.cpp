#include "tests/server/wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QTest>
#include <QUuid>

namespace natter::test {

using namespace Qt::StringLiterals;

namespace {
bool matches(const QJsonObject &o, const QString &type, const WsClient::Predicate &pred)
{
    return (type.isEmpty() || o.value("type"_L1).toString() == type) && (!pred || pred(o));
}

QString compact(const QJsonObject &o, qsizetype maxChars = 300)
{
    QString text = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    if (text.size() > maxChars)
        text = text.left(maxChars) + u"…"_s;
    return text;
}
} // namespace

WsClient::WsClient(QString name, QObject *parent)
    : QObject(parent)
    , m_name(std::move(name))
{
    m_socket.setProxy(QNetworkProxy::NoProxy);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &WsClient::onText);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &data) { m_garbage.append(u"binary frame of %1 bytes"_s.arg(data.size())); });
}

WsClient::~WsClient()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

bool WsClient::open(const QUrl &url, int timeoutMs)
{
    m_socket.open(url);
    if (!QTest::qWaitFor([this] { return isConnected(); }, timeoutMs)) {
        qWarning().noquote() << m_name << "could not connect to" << url.toString() << m_socket.errorString();
        return false;
    }
    return true;
}

void WsClient::close()
{
    m_socket.close();
}

bool WsClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

bool WsClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void WsClient::sendJson(const QJsonObject &envelope)
{
    sendText(QString::fromUtf8(QJsonDocument(envelope).toJson(QJsonDocument::Compact)));
}

void WsClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void WsClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

void WsClient::onText(const QString &text)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        m_garbage.append(text.left(300));
        return;
    }
    const QJsonObject o = doc.object();
    m_inbox.append(o);
    m_all.append(o);
    emit envelopeReceived(o);
}

qsizetype WsClient::indexOf(const QString &type, const Predicate &pred) const
{
    for (qsizetype i = 0; i < m_inbox.size(); ++i) {
        if (matches(m_inbox.at(i), type, pred))
            return i;
    }
    return -1;
}

QJsonObject WsClient::take(const QString &type, const Predicate &pred, int timeoutMs)
{
    qsizetype index = indexOf(type, pred);
    const bool found = index >= 0 || QTest::qWaitFor(
                                         [&] {
                                             index = indexOf(type, pred);
                                             return index >= 0;
                                         },
                                         timeoutMs);
    if (!found) {
        qWarning().noquote() << m_name << "waited" << timeoutMs << "ms in vain for a"
                             << (type.isEmpty() ? u"*"_s : type) << "envelope; inbox:\n"
                             << dump();
        return {};
    }
    return m_inbox.takeAt(index);
}

QList<QJsonObject> WsClient::takeAll(const QString &type, const Predicate &pred)
{
    QList<QJsonObject> out;
    for (qsizetype i = 0; i < m_inbox.size();) {
        if (matches(m_inbox.at(i), type, pred))
            out.append(m_inbox.takeAt(i));
        else
            ++i;
    }
    return out;
}

bool WsClient::waitForCount(const QString &type, qsizetype n, const Predicate &pred, int timeoutMs)
{
    if (QTest::qWaitFor([&] { return count(type, pred) >= n; }, timeoutMs))
        return true;
    qWarning().noquote() << m_name << "has" << count(type, pred) << "of" << n << (type.isEmpty() ? u"*"_s : type)
                         << "envelopes after" << timeoutMs << "ms";
    return false;
}

qsizetype WsClient::count(const QString &type, const Predicate &pred) const
{
    return std::count_if(m_inbox.cbegin(), m_inbox.cend(),
                         [&](const QJsonObject &o) { return matches(o, type, pred); });
}

QString WsClient::nextRid()
{
    return u"%1-r%2"_s.arg(m_name.isEmpty() ? u"c"_s : m_name).arg(++m_ridCounter);
}

QJsonObject WsClient::request(QJsonObject envelope, int timeoutMs)
{
    if (!envelope.contains("rid"_L1))
        envelope.insert("rid"_L1, nextRid());
    const QString rid = envelope.value("rid"_L1).toString();
    sendJson(envelope);
    m_lastReply = take(QString(), withRid(rid), timeoutMs);
    return m_lastReply;
}

bool WsClient::sync(int timeoutMs)
{
    const QString rid = u"sync-"_s + nextRid();
    sendJson({{"type"_L1, u"rooms"_s}, {"rid"_L1, rid}});
    return !take(QString(), withRid(rid), timeoutMs).isEmpty();
}

QList<QJsonObject> WsClient::unexpected(const QStringList &types, int graceMs)
{
    QTest::qWait(graceMs);
    if (!sync())
        return {QJsonObject{{"type"_L1, u"(sync timed out)"_s}}};
    QList<QJsonObject> out;
    for (const QJsonObject &o : std::as_const(m_inbox)) {
        if (types.isEmpty() || types.contains(o.value("type"_L1).toString()))
            out.append(o);
    }
    if (!out.isEmpty())
        qWarning().noquote() << m_name << "received what it should not have:\n" << dump();
    return out;
}

QString WsClient::defaultPassword(const QString &user)
{
    return u"pw-"_s + user;
}

QString WsClient::registerUser(const QString &user, const QString &device, const QString &password)
{
    const QJsonObject reply = request({{"type"_L1, u"register"_s},
                                       {"user"_L1, user},
                                       {"password"_L1, password.isEmpty() ? defaultPassword(user) : password},
                                       {"device"_L1, device}});
    return reply.value("type"_L1) == "welcome"_L1 ? reply.value("token"_L1).toString() : QString();
}

QString WsClient::login(const QString &user, const QString &device, const QString &password)
{
    const QJsonObject reply = request({{"type"_L1, u"login"_s},
                                       {"user"_L1, user},
                                       {"password"_L1, password.isEmpty() ? defaultPassword(user) : password},
                                       {"device"_L1, device}});
    return reply.value("type"_L1) == "welcome"_L1 ? reply.value("token"_L1).toString() : QString();
}

QString WsClient::resume(const QString &token, const QString &device)
{
    const QJsonObject reply = request({{"type"_L1, u"resume"_s}, {"token"_L1, token}, {"device"_L1, device}});
    return reply.value("type"_L1) == "welcome"_L1 ? reply.value("token"_L1).toString() : QString();
}

void WsClient::ack(const QList<qint64> &ids)
{
    QJsonArray a;
    for (qint64 id : ids)
        a.append(id);
    sendJson({{"type"_L1, u"ack"_s}, {"ids"_L1, a}});
}

qint64 WsClient::sendMessage(const QString &to, const QString &body, const QString &cid)
{
    const QJsonObject reply =
        request({{"type"_L1, u"send"_s},
                 {"to"_L1, to},
                 {"body"_L1, body},
                 {"cid"_L1, cid.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : cid}});
    return reply.value("type"_L1) == "sent"_L1 ? reply.value("id"_L1).toInteger() : 0;
}

QString WsClient::dump() const
{
    QStringList lines;
    for (const QJsonObject &o : m_inbox)
        lines.append(u"  "_s + compact(o));
    if (lines.isEmpty())
        lines.append(u"  (empty)"_s);
    return lines.join(u'\n');
}

WsClient::Predicate withRid(const QString &rid)
{
    return [rid](const QJsonObject &o) { return o.value("rid"_L1).toString() == rid; };
}

WsClient::Predicate withField(const QString &key, const QJsonValue &value)
{
    return [key, value](const QJsonObject &o) { return o.value(key) == value; };
}

WsClient::Predicate withId(qint64 id)
{
    return [id](const QJsonObject &o) { return o.value("id"_L1).toInteger() == id; };
}

} // namespace natter::test
