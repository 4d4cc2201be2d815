//! Mail: the messages Attest sends, and the transport that delivers them to an SMTP server (or,
//! in the embedded default, to `.eml` files in the data directory). The job that drains the
//! outbox is `jobs::mail_delivery`.

pub(crate) mod messages;

use attest_store::outbox::Mail;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};

/// Why mail could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("ATTEST_MAIL_FROM is not a valid address: {0}")]
    From(String),
    #[error("ATTEST_SMTP_URL is not valid: {0}")]
    Url(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum Mailer {
    /// An SMTP server (`smtp://host:port` plain for loopback test servers, `smtp://…?tls=required`
    /// for STARTTLS, `smtps://…` for implicit TLS; credentials in the URL).
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// Files in a directory, one `.eml` per message (the embedded default).
    Files {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let from = from.parse().map_err(|_| MailError::From(from.to_owned()))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url(e.to_string()))?
            .build();
        Ok(Self::Smtp { transport, from })
    }

    pub fn files(dir: &Path, from: &str) -> Result<Self, MailError> {
        let from = from.parse().map_err(|_| MailError::From(from.to_owned()))?;
        std::fs::create_dir_all(dir).map_err(|source| MailError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(Self::Files {
            transport: AsyncFileTransport::new(dir),
            dir: dir.to_owned(),
            from,
        })
    }

    /// Sends one message. The error text never contains the message body.
    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from.clone(),
        };
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| "the recipient address is not valid".to_owned())?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| e.to_string())?;
        match self {
            Mailer::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Mailer::Files { transport, dir, .. } => {
                let id = transport.send(message).await.map_err(|e| e.to_string())?;
                // The embedded default has no mail server: say where the message is, so that
                // whoever runs Attest can open it. Never its link: a live bearer link (a reset,
                // an invitation) in a log is a way into the account for whoever reads the log.
                tracing::info!(
                    kind = %mail.kind,
                    file = %dir.join(format!("{id}.eml")).display(),
                    "mail written (open the file to follow its link)"
                );
                Ok(())
            }
        }
    }
}
