#pragma once

// A small long-polling test client for the Natter wire protocol (PROTOCOL.md, "Long polling").
//
// Plain QNetworkAccessManager: connections are kept alive and never pipelined (the NAM defaults). Every
// request can run asynchronously (start()/poll() return an LpCall that stays open while the test does
// other things) or synchronously (the blocking helpers wait by spinning the event loop, no fixed sleeps).
// After a welcome from /api/v1/session the client keeps the token and sends it as a bearer token.
//
// Independent of common/protocol on purpose: it speaks raw JSON, so that the server is checked against the
// contract's text and not against our own codec (a bug shared by the codec and the server would otherwise
// pass unseen). The product's clients (client core, natter-bench) all go through the shared codec.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace natter::test {

// What came back for one HTTP request. status 0: no HTTP response (network error or timeout).
struct LpResponse {
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString errorString;
    qint64 elapsedMs = -1;

    // The body as a JSON object (empty when it is not one), and its "replies" / "events" arrays.
    QJsonObject json() const;
    QJsonArray replies() const;
    QJsonArray events() const;
    bool isJsonObject() const;
    // "HTTP 200 {...}" for failure messages.
    QString describe() const;
};

// One request in flight. Finishes once; waitForFinished() spins the event loop. Destroying it aborts the
// request.
class LpCall : public QObject
{
    Q_OBJECT
public:
    explicit LpCall(QNetworkReply *reply, QObject *parent = nullptr);
    ~LpCall() override;

    bool isFinished() const { return m_finished; }
    bool waitForFinished(int timeoutMs);
    // The response; valid once finished.
    const LpResponse &response() const { return m_response; }
    // Milliseconds since the request was started (frozen when it finished).
    qint64 elapsedMs() const;
    // Drops the connection under the request (QNetworkReply::abort()).
    void abort();
    QNetworkReply *reply() const { return m_reply; }

signals:
    void finished();

private:
    void onFinished();

    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_timer;
    LpResponse m_response;
    bool m_finished = false;
};

class LpClient : public QObject
{
    Q_OBJECT
public:
    using Predicate = std::function<bool(const QJsonObject &)>;

    static constexpr int kDefaultTimeoutMs = 10'000;
    static constexpr int kNoTimeoutField = -1;

    static constexpr QStringView kSessionPath = u"/api/v1/session";
    static constexpr QStringView kSendPath = u"/api/v1/send";
    static constexpr QStringView kPollPath = u"/api/v1/poll";

    // base: http://host:port. A shared NAM lets many clients share its connections (at most six per host
    // at a time: keep it to a few clients per NAM when they hold polls); by default each client has its own.
    explicit LpClient(QUrl base, QString name = {}, QObject *parent = nullptr, QNetworkAccessManager *shared = nullptr);
    ~LpClient() override;

    const QString &name() const { return m_name; }
    QNetworkAccessManager &nam() { return *m_nam; }
    QUrl url(QStringView path) const;

    // The bearer token sent with every request (none when empty). Set by a welcome from session().
    const QString &token() const { return m_token; }
    void setToken(const QString &token) { m_token = token; }
    // When not null, sent as the Authorization header as it is, instead of "Bearer <token>".
    void setRawAuthorization(const QByteArray &header) { m_rawAuthorization = header; }
    void setBase(const QUrl &base) { m_base = base; }
    const QString &user() const { return m_user; }
    const QString &device() const { return m_device; }

    // Starts any request (verb "GET", "POST", ...) with this body; POST bodies are sent as application/json.
    std::unique_ptr<LpCall> start(const QByteArray &verb, QStringView path, const QByteArray &body = {});
    // The same, waiting for the response (status 0 on timeout).
    LpResponse call(const QByteArray &verb, QStringView path, const QByteArray &body = {},
                    int timeoutMs = kDefaultTimeoutMs);
    LpResponse post(QStringView path, const QByteArray &body, int timeoutMs = kDefaultTimeoutMs)
    {
        return call("POST", path, body, timeoutMs);
    }

    // POST /api/v1/session with this envelope; a welcome sets token, user and device.
    LpResponse session(const QJsonObject &envelope);
    // Each returns the token from welcome, or an empty string (lastResponse() then holds the error).
    QString registerUser(const QString &user, const QString &device, const QString &password = {});
    QString login(const QString &user, const QString &device, const QString &password = {});
    QString resume(const QString &token, const QString &device);
    const LpResponse &lastResponse() const { return m_last; }

    // POST /api/v1/send with one envelope, an array of them, or raw bytes.
    LpResponse send(const QJsonObject &envelope);
    LpResponse send(const QJsonArray &envelopes);
    LpResponse sendRaw(const QByteArray &body);
    // Sends one envelope (with a fresh rid unless it has one) and returns the reply carrying that rid, or
    // an empty object when there is none (lastResponse() holds the HTTP answer).
    QJsonObject request(QJsonObject envelope);
    // Sends a message and returns the id from `sent`, or 0.
    qint64 sendMessage(const QString &to, const QString &body, const QString &cid = {});
    // {"type":"ack","ids":[...]} through /api/v1/send; true when answered 200 with no replies.
    bool ack(const QList<qint64> &ids);

    // POST /api/v1/poll with {"ack":[...],"timeout":s}; both omitted when empty / kNoTimeoutField.
    std::unique_ptr<LpCall> poll(const QList<qint64> &acks = {}, int timeoutS = kNoTimeoutField);
    // A poll, waited for.
    LpResponse pollNow(const QList<qint64> &acks = {}, int timeoutS = kNoTimeoutField,
                       int waitMs = kDefaultTimeoutMs);

    // Event inbox. takeEvent() polls (short polls, acking nothing unless autoAck is on) until an event of this
    // type (any type when empty) that matches pred arrived, then removes and returns it; empty on timeout.
    // Messages are kept once per id, however often the server delivers them again until acked.
    QJsonObject takeEvent(const QString &type, const Predicate &pred = {}, int timeoutMs = kDefaultTimeoutMs);
    // Polls for graceMs and returns the events of these types (all when empty) that arrived meanwhile and are
    // in the inbox; they stay there. Messages already seen do not count.
    QList<QJsonObject> unexpected(const QStringList &types = {}, int graceMs = 400);
    const QList<QJsonObject> &inbox() const { return m_inbox; }
    void clearInbox() { m_inbox.clear(); }
    // With autoAck, every message that reached the inbox is acked in the next poll of takeEvent().
    void setAutoAck(bool on) { m_autoAck = on; }
    // Adds the events of a poll response to the inbox (what takeEvent() does with each poll).
    void absorb(const QJsonArray &events);

    QString nextRid();
    QString dump() const;
    static QString defaultPassword(const QString &user);

private:
    QString authenticate(QJsonObject envelope);

    QUrl m_base;
    QString m_name;
    QNetworkAccessManager *m_nam = nullptr;
    std::unique_ptr<QNetworkAccessManager> m_ownNam;
    QString m_token;
    QByteArray m_rawAuthorization;
    QString m_user;
    QString m_device;
    LpResponse m_last;
    QList<QJsonObject> m_inbox;
    QSet<qint64> m_seenMessages;
    QList<qint64> m_toAck;
    bool m_autoAck = false;
    int m_ridCounter = 0;
};

} // namespace natter::test
