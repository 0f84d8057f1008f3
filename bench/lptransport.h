#pragma once

#include "bench/benchtransport.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace natter::bench {

// The long-polling door (docs/protocol.md, "Long polling") through QNetworkAccessManager, HTTP/1.1 keep-alive,
// no pipelining:
// - register/login/resume -> POST /api/v1/session; the welcome carries the bearer token;
// - other envelopes -> POST /api/v1/send, those queued in one event-loop pass batched into one array, one
//   /send in flight so that their order is kept; every reply is emitted in order;
// - `ack` envelopes are not sent: their ids ride on the next POST /api/v1/poll {"ack":[...],"timeout":25};
// - one poll is kept outstanding, except while the user still has to ack messages that a poll brought
//   (the server hands unacked messages back in every poll, so polling before the acks would spin).
//   When acks are waiting while a poll is held, a new poll carrying them supersedes the held one (the
//   server answers the older one with {"events":[]} at once; if it had already answered with events,
//   those are used too). Messages that come back because their ack was not applied yet are dropped here.
class LongPollTransport final : public Transport
{
    Q_OBJECT
public:
    // `base` is http(s)://host:port. `nam` may be shared with another transport (at most 6 connections per
    // host each; one user needs 2-3: its poll, a superseded poll and its /send).
    LongPollTransport(QUrl base, std::shared_ptr<QNetworkAccessManager> nam, QObject *parent = nullptr);
    ~LongPollTransport() override;

    void open() override;
    void send(const protocol::Request &request) override;
    bool close() override;
    bool isOpen() const override;

    // Totals over every long-polling transport of the process (all live on the main thread).
    struct Counters {
        qint64 sessions = 0; // POST /api/v1/session
        qint64 sends = 0; // POST /api/v1/send
        qint64 sentEnvelopes = 0; // envelopes in them
        qint64 polls = 0; // POST /api/v1/poll
        qint64 supersedingPolls = 0; // polls sent while another was in flight
        qint64 events = 0; // poll events passed on
        qint64 redelivered = 0; // messages handed back before their ack was applied, dropped
    };
    static const Counters &counters() { return s_counters; }

    // http(s)://host:port for a ws(s)://host:port/... or http(s):// URL.
    static QUrl baseUrl(const QUrl &url);
    // A QNetworkAccessManager for a new transport: a new one every `usersPerManager` calls.
    static std::shared_ptr<QNetworkAccessManager> sharedManager(int usersPerManager);

private:
    QNetworkReply *post(QLatin1StringView path, const QByteArray &body, int timeoutMs);
    void authenticate(const protocol::Request &request);
    void onSessionFinished(QNetworkReply *reply);
    void scheduleFlush();
    void flushSends();
    void onSendFinished(QNetworkReply *reply);
    void updatePolling();
    void poll();
    void onPollFinished(QNetworkReply *reply);
    // The JSON object body of a finished reply and its HTTP status; fails the transport otherwise.
    bool readReply(QNetworkReply *reply, QJsonObject *body, int *status);
    // The envelopes of a list answer ({"replies":[...]} from /send, {"events":[...]} from /poll under `key`),
    // each parsed. A 401 with an error envelope (auth_required) is emitted instead; anything but a 200 with
    // such a list, or an element that breaks the contract, fails the transport. nullopt: nothing more to do.
    std::optional<QList<protocol::ServerEvent>> readEventList(QNetworkReply *reply, QLatin1StringView key);
    void failAnswer(int status, const QString &path, const QJsonObject &body, const QString &why = {});
    void abortAll();
    void fail(const QString &reason);

    static Counters s_counters;

    QUrl m_base;
    std::shared_ptr<QNetworkAccessManager> m_nam;
    QByteArray m_authorization; // "Bearer <token>" once welcomed
    bool m_open = false;
    bool m_closing = false;
    bool m_failed = false;

    QNetworkReply *m_sessionReply = nullptr;
    QList<protocol::Request> m_outgoing;
    bool m_flushScheduled = false;
    QNetworkReply *m_sendReply = nullptr;

    QList<QNetworkReply *> m_polls; // in flight, oldest first (more than one only after superseding)
    QList<qint64> m_pendingAcks; // acked by the user, for the next poll
    QSet<qint64> m_awaitingAck; // emitted, not acked by the user yet
    QSet<qint64> m_ackedOnPoll; // acked on a poll; may still come back in an answer already on its way
    bool m_delivering = false;
    QTimer m_ackWait; // safety net: poll anyway when the user does not ack
};

} // namespace natter::bench
