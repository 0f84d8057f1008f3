<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>main</name>
    <message>
        <source>Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter: chat on your local network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a separate profile (settings, accounts, local server): two profiles on one machine are two people.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>natter: profile names are 1 to 64 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the app in this language (for example en or ko) instead of the one in the settings or the system&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>natter: --port takes a number from 0 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a local server when the app comes up (SQLite in the profile&apos;s app-data folder) and fill the sign-in dialog with its address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port of the local server; only together with --local-server (default: the one in the settings, 7470; 0 picks a free one). To sign in to a server on another port, type HOST:PORT in the sign-in dialog.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>natter: --port is the port of the local server: use it with --local-server (to sign in to a server on another port, type HOST:PORT in the sign-in dialog)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::Composer</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::ConnectionDiagnostics</name>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why WebSocket failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round-trip time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last heard from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown (not announced on this network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>Reconnecting in %n s</numerusform>
            <numerusform>Reconnecting in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long polling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: WebSocket has not failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not measured yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing heard yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n s ago)</source>
        <translation>
            <numerusform>%1 (%n s ago)</numerusform>
            <numerusform>%1 (%n s ago)</numerusform>
        </translation>
    </message>
    <message>
        <source>Natter connection diagnostics, %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::ConnectionStatusLabel</name>
    <message>
        <source>Connection status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>long polling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online · %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s · %1</source>
        <translation>
            <numerusform>Reconnecting in %n s · %1</numerusform>
            <numerusform>Reconnecting in %n s · %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click for the connection diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::ConversationDelegate</name>
    <message>
        <source>typing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::ConversationPane</name>
    <message>
        <source>Pick a conversation, or double-click a person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Typing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::DiagnosticsDialog</name>
    <message>
        <source>Connection diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconnect now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skips the wait and tries to reach the server at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy to clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies this report as plain text, for a bug report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::MainWindow</name>
    <message>
        <source>Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local server did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;tart local server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>St&amp;op local server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not join %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local server on port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting local server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping local server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room names are # and 1 to 32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local server status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;witch account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New direct chat…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection &amp;diagnostics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n messages you wrote as %1 have not been sent yet.</source>
        <translation>
            <numerusform>%n message you wrote as %1 has not been sent yet.</numerusform>
            <numerusform>%n messages you wrote as %1 have not been sent yet.</numerusform>
        </translation>
    </message>
    <message>
        <source>They stay on this computer and are sent the next time you sign in as %1. Sign out anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch account</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n messages not sent yet will be sent next time you sign in as %1.</source>
        <translation>
            <numerusform>%n message not sent yet will be sent next time you sign in as %1.</numerusform>
            <numerusform>%n messages not sent yet will be sent next time you sign in as %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>S&amp;witch account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed out %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed out %1 on this computer. The server could not be reached, so it was not told.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left the session of %1. It stays on this computer: signing in as %1 again needs no password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session as %1 on %2 has ended: it was signed out, or the server no longer knows it. Enter your password to sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New direct chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User to chat with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User names are 1 to 32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room to join or create (for example #general):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::MessageDelegate</name>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::MessageView</name>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy link address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::Notifier</name>
    <message>
        <source>%1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n new messages</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>natter::app::PersonDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a &amp;notification for new messages when the window is not active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start the local server when Natter starts (port %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep running in the system tray when the window is closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop has no system tray right now: closing the window quits Natter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (system language)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language applies after Natter restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::Sidebar</name>
    <message>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a person, or press Enter, to chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chats and people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cha&amp;ts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;People</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::SignInDialog</name>
    <message>
        <source>Sign in to Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers on this network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create a new account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers &amp;heard on this network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example 192.168.1.5:7470, or pick a server from the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User names are 1 to 32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local message store cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name %1 is taken. Choose another name, or sign in without &quot;Create a new account&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused to sign you in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server at %1 cannot be reached. Check the address, or start a local server from the Server menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick an account to fill in its server and user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts &amp;on this computer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved session of %1 has ended. Enter your password to sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::StartServerDialog</name>
    <message>
        <source>Start local server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others connect to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No network: only this computer (127.0.0.1:%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No other Natter server is announced on this network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A server is already running on this network: %1 at %2:%3. Use it, so that everybody on the network meets in one place?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Use that server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::app::TrayIcon</name>
    <message>
        <source>&amp;Show Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natter</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter — %n unread</numerusform>
            <numerusform>Natter — %n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>natter::client::ChatClient</name>
    <message>
        <source>The message could not be saved on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::client::ConversationListModel</name>
    <message>
        <source>%1 (you)</source>
        <comment>the conversation with oneself (notes)</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::client::MessageListModel</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>natter::client::PeopleModel</name>
    <message>
        <source>%1, online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
