# @param {ListNode} head
# @return {ListNode}
def reverse_list(head)
  prev = nil
  until head.nil?
    head.next, prev, head = prev, head, head.next
  end
  prev
end
