/*
 * Copyright (C) 2015 Red Hat, Inc. Licensed under the Apache License, Version 2.0.
 *
 * Test-only replacement of fabric8 mockwebserver 7.5.2's class of the same name, so that the Kubernetes
 * mock server's watches (WebSockets) work with Vert.x 5, which the webhook uses: the mock server is
 * compiled against Vert.x 4, whose ServerWebSocket.accept() Vert.x 5 removed (the socket a handshake
 * hands over is already accepted). Same behaviour otherwise. Test classes come before the jar on the
 * class path, so this class is the one loaded. Remove it once the mock server supports Vert.x 5.
 */
package io.fabric8.mockwebserver.vertx;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;

public class ServerWebSocketHandler implements Handler<ServerWebSocket> {
  private static final int WEBSOCKET_CLOSE_CODE_SERVER_ERROR = 1011;
  private final RecordedRequest request;
  private final Response response;

  public ServerWebSocketHandler(RecordedRequest request, Response response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public void handle(ServerWebSocket serverWebSocket) {
    WebSocketListener listener = response.getWebSocketListener();
    VertxMockWebSocket webSocket = new VertxMockWebSocket(request, serverWebSocket);
    listener.onBeforeAccept(webSocket, response);
    serverWebSocket.textMessageHandler(text -> listener.onMessage(webSocket, text));
    serverWebSocket.binaryMessageHandler(bytes -> listener.onMessage(webSocket, bytes.getBytes()));
    serverWebSocket.frameHandler(frame -> {
      if (frame.isClose()) {
        listener.onClosing(webSocket, frame.closeStatusCode(), frame.closeReason());
      }
      serverWebSocket.fetch(1);
    });
    serverWebSocket.endHandler(v -> listener.onClosed(webSocket,
        serverWebSocket.closeStatusCode() == null ? WEBSOCKET_CLOSE_CODE_SERVER_ERROR : serverWebSocket.closeStatusCode(),
        serverWebSocket.closeReason()));
    serverWebSocket.exceptionHandler(t -> listener.onFailure(webSocket, t, response));
    listener.onOpen(webSocket, response);
    serverWebSocket.fetch(1);
  }
}
