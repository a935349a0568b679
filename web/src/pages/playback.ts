// /web/cluster/:cluster/session/:sid: plays a recording (fetched once as asciicast v2).

import { ApiError, bearerToken, messageOf } from '../core/api';
import { h, spinner } from '../core/dom';
import { clusterPath, framed } from '../core/layout';
import { parseCast } from '../player/asciicast';
import { createPlayer, type Player } from '../player/player';

export const playbackPage = framed('recordings', async (frame, params) => {
  frame.title(`Recording ${params.sid.slice(0, 8)}`, h('a', { class: 'btn btn-small', href: clusterPath(frame.site, 'recordings') }, '← All recordings'));
  const body = h('div', null, spinner('Loading the recording…'));
  frame.content.append(body);
  let player: Player | null = null;
  try {
    const response = await fetch(`/v1/webapi/sites/${encodeURIComponent(frame.site)}/sessions/${encodeURIComponent(params.sid)}/stream`, {
      headers: { Authorization: `Bearer ${bearerToken() ?? ''}` },
      credentials: 'same-origin',
    });
    if (!response.ok) {
      let message = `The recording could not be loaded (${response.status}).`;
      try {
        message = ((await response.json()) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON
      }
      throw new ApiError(message, response.status, null);
    }
    const cast = parseCast(await response.text());
    player = createPlayer(cast);
    body.replaceChildren(
      h('p', { class: 'muted' }, `Session ${params.sid} · ${cast.width}×${cast.height}`),
      player.el);
  } catch (error) {
    body.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
  }
  return () => player?.dispose();
});
