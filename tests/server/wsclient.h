#pragma once

// A small WebSocket test client for the Natter wire protocol (PROTOCOL.md).
//
// Every text frame the server sends is parsed and kept in an inbox, in arrival order. Tests take
// envelopes out of the inbox with take() (waits up to a timeout, polling the event loop, no fixed
// sleeps), send requests with request() (adds a unique rid and waits for the reply that carries it),
// and check that nothing arrived with expectQuiet() (a short grace period, then a round trip).
//
// Independent of common/protocol on purpose: it speaks raw JSON, so that the server is checked against the
// contract's text and not against our own codec (a bug shared by the codec and the server would otherwise
// pass unseen). The product's clients (client core, natter-bench) all go through the shared codec.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QWebSocket>

#include <functional>

namespace natter::test {

class WsClient : public QObject
{
    Q_OBJECT
public:
    using Predicate = std::function<bool(const QJsonObject &)>;

    static constexpr int kDefaultTimeoutMs = 10'000;

    explicit WsClient(QString name = {}, QObject *parent = nullptr);
    ~WsClient() override;

    // Opens the connection and waits until the handshake is done. False (with a warning) on failure.
    bool open(const QUrl &url, int timeoutMs = kDefaultTimeoutMs);
    void close();
    // Waits until the server has closed the connection (or it broke).
    bool waitForDisconnected(int timeoutMs = kDefaultTimeoutMs);
    bool isConnected() const;
    QWebSocket &socket() { return m_socket; }
    const QString &name() const { return m_name; }

    void sendJson(const QJsonObject &envelope);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);

    // Envelopes received and not yet taken, oldest first.
    const QList<QJsonObject> &inbox() const { return m_inbox; }
    // Every envelope received since open() (taken or not), oldest first.
    const QList<QJsonObject> &history() const { return m_all; }
    // Frames that were not a JSON object, and binary frames; a correct server sends neither.
    const QStringList &garbage() const { return m_garbage; }
    void clearInbox() { m_inbox.clear(); }

    // Removes and returns the first inbox envelope of this type (any type when empty) that matches pred,
    // waiting for it up to timeoutMs. Returns an empty object on timeout and logs the inbox.
    QJsonObject take(const QString &type, const Predicate &pred = {}, int timeoutMs = kDefaultTimeoutMs);
    // Removes and returns every inbox envelope of this type that matches pred, without waiting.
    QList<QJsonObject> takeAll(const QString &type, const Predicate &pred = {});
    // Waits until the inbox holds at least count envelopes of this type that match pred.
    bool waitForCount(const QString &type, qsizetype count, const Predicate &pred = {},
                      int timeoutMs = kDefaultTimeoutMs);
    qsizetype count(const QString &type, const Predicate &pred = {}) const;

    // Sends the request with a fresh rid (unless it has one) and returns the reply carrying that rid
    // (welcome, sent, error, joined, ...), taken out of the inbox. Empty on timeout.
    QJsonObject request(QJsonObject envelope, int timeoutMs = kDefaultTimeoutMs);
    // A round trip: sends {"type":"rooms"} with a fresh rid and waits for the answer (`rooms`, or
    // `error auth_required` when not signed in), which is dropped. Everything the server wrote to this
    // connection before it read the request has then arrived.
    bool sync(int timeoutMs = kDefaultTimeoutMs);
    // Waits graceMs, syncs, and returns the inbox envelopes of these types (all types when empty) that
    // arrived meanwhile; they stay in the inbox. An empty list means "nothing arrived".
    QList<QJsonObject> unexpected(const QStringList &types = {}, int graceMs = 150);

    // Authentication. Each returns the token from `welcome`, or an empty string; lastReply() then holds
    // the error.
    QString registerUser(const QString &user, const QString &device, const QString &password = {});
    QString login(const QString &user, const QString &device, const QString &password = {});
    QString resume(const QString &token, const QString &device);
    const QJsonObject &lastReply() const { return m_lastReply; }

    // Sends {"type":"ack","ids":[...]} (no reply is expected).
    void ack(const QList<qint64> &ids);
    // Sends a message and waits for `sent`; returns its id, or 0 (lastReply() holds the error).
    qint64 sendMessage(const QString &to, const QString &body, const QString &cid = {});

    QString nextRid();
    // The inbox as compact JSON lines, for failure messages.
    QString dump() const;

    static QString defaultPassword(const QString &user);

signals:
    void envelopeReceived(const QJsonObject &envelope);

private:
    void onText(const QString &text);
    qsizetype indexOf(const QString &type, const Predicate &pred) const;

    QString m_name;
    QWebSocket m_socket;
    QList<QJsonObject> m_inbox;
    QList<QJsonObject> m_all;
    QStringList m_garbage;
    QJsonObject m_lastReply;
    int m_ridCounter = 0;
};

// Predicates for take()/count().
WsClient::Predicate withRid(const QString &rid);
WsClient::Predicate withField(const QString &key, const QJsonValue &value);
WsClient::Predicate withId(qint64 id);

} // namespace natter::test
