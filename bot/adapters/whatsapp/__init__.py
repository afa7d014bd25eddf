"""The WhatsApp Cloud API adapter: verified webhooks in, Graph API messages out."""
