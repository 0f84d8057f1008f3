#pragma once

#include "bench/benchtransport.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <optional>

class QCoreApplication;

namespace natter::bench {

// Exit codes of natter-bench.
inline constexpr int kExitOk = 0;
inline constexpr int kExitIntegrity = 1; // lost, duplicate or corrupt messages
inline constexpr int kExitUsage = 2; // bad command line
inline constexpr int kExitFailed = 3; // the run failed: connection error, server error, timeout

enum class Mode { Pairs, Room, Idle };

QString modeName(Mode mode);

struct BenchOptions {
    Mode mode = Mode::Pairs;
    TransportKind transport = TransportKind::WebSocket;
    QUrl url;
    int lpUsersPerManager = 1; // long polling: users sharing one QNetworkAccessManager

    // pairs / room traffic
    int pairs = 16;
    int members = 16;
    int senders = 2;
    int window = 32;
    qint64 messages = 1000; // per sender; 0: unlimited (bounded by duration)
    double durationS = 0; // 0: until `messages` are sent
    int size = 64; // body bytes (ASCII)
    int ackDelayMs = 2;
    double drainS = 5;

    // idle
    int connections = 100;
    qint64 pid = 0;
    double holdS = 5;

    // every mode
    int registerConcurrency = 4;
    int connectConcurrency = 64;
    double timeoutS = 10; // per operation, and the stall limit while traffic flows
    QString password;
    QString device;
    QString runId;
    bool quiet = false;

    int timeoutMs() const { return int(timeoutS * 1000); }
    // The parameters, for the RESULT line.
    QJsonObject toJson() const;
};

// Parses the command line. Handles --help and --version (exits). On a usage error returns nullopt with *error set.
std::optional<BenchOptions> parseOptions(const QCoreApplication &app, QString *error);

} // namespace natter::bench
